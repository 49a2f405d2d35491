package graph

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	a := smallCNN()
	a.Labels = map[string]string{"nb201": "|none~0|"}
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	js2, _ := json.Marshal(b)
	if string(js) != string(js2) {
		t.Errorf("round trip changed the JSON:\n%s\n%s", js, js2)
	}
	if Hash(a) != Hash(b) || b.Labels["nb201"] != "|none~0|" {
		t.Error("round trip changed the architecture")
	}
}

func TestFromJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{`, "unexpected EOF"},
		{`[]`, "cannot unmarshal array"},
		{`{"input":[4],"nodes":[{"op":"input"}],"extra":1}`, `unknown field "extra"`},
		{`{"input":[4],"nodes":[{"op":"input"},{"op":"dense","attr":{"units":2},"inputs":[0]}]}`, `unknown field "attr"`},
		{`{"input":[4],"nodes":[{"op":"input"},{"op":"dense","inputs":[0]}]}`, "node 1 (dense): missing attribute units"},
		{`{"input":[4],"nodes":[{"op":"input"}]} {}`, "data after the JSON object"},
	} {
		_, err := FromJSON([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FromJSON(%s) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestClone(t *testing.T) {
	a := smallCNN()
	b := a.Clone()
	b.Nodes[1].Attrs["filters"] = 99
	b.Nodes[2].Inputs[0] = 0
	b.Input[0] = 7
	if a.Nodes[1].Attrs["filters"] != 8 || a.Nodes[2].Inputs[0] != 1 || a.Input[0] != 1 {
		t.Error("Clone shares memory with the original")
	}
	if (*Arch)(nil).Clone() != nil {
		t.Error("Clone of nil")
	}
}
