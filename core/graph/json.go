package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// FromJSON decodes an architecture written by json.Marshal (the field names
// are those of Arch and Node: input, nodes, op, name, attrs, inputs,
// labels) and validates it. Unknown fields are an error, so that a typo
// ("attr" for "attrs") does not silently drop attributes.
func FromJSON(data []byte) (*Arch, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a Arch
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("decode architecture: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("decode architecture: data after the JSON object")
	}
	if err := Validate(&a); err != nil {
		return nil, fmt.Errorf("decode architecture: %w", err)
	}
	return &a, nil
}

// Clone returns a deep copy of the architecture.
func (a *Arch) Clone() *Arch {
	if a == nil {
		return nil
	}
	b := &Arch{Input: slices.Clone(a.Input), Nodes: make([]Node, len(a.Nodes)), Labels: maps.Clone(a.Labels)}
	for i, n := range a.Nodes {
		b.Nodes[i] = n.clone()
	}
	return b
}

func (n Node) clone() Node {
	n.Attrs = maps.Clone(n.Attrs)
	n.Inputs = slices.Clone(n.Inputs)
	return n
}
