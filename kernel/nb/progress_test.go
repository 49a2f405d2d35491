package nb

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/kernel/display"
)

type countSink struct{ displays, updates int }

func (c *countSink) Stream(string, string) {}
func (c *countSink) Display(b display.Bundle, id string, update bool) {
	if update {
		c.updates++
	} else {
		c.displays++
	}
}
func (c *countSink) ClearOutput(bool)                                    {}
func (c *countSink) Input(context.Context, string, bool) (string, error) { return "", nil }

func TestProgressView(t *testing.T) {
	for _, tc := range []struct {
		v    progressView
		want string
	}{
		{progressView{total: 6, elapsed: 1500 * time.Millisecond}, "running: 0/6 trials, 1.5s"},
		{progressView{total: 6, counts: [4]int{0, 5, 0, 1}, finished: true, hasBest: true,
			best: search.Trial{ID: 3, Values: []float64{97.5}}}, "done: 6/6 trials, 0s, best 97.5 (trial 3)"},
		{progressView{counts: [4]int{0, 2}, interrupted: true}, "interrupted: 2 trials, 0s"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
	v := progressView{total: 2, counts: [4]int{0, 1, 1}, last: []search.Trial{{ID: 1, State: search.Pruned}, {ID: 0, State: search.Complete, Values: []float64{0.5}}}}
	if h := v.HTML(); !strings.Contains(h, `<progress value="2" max="2"`) || !strings.Contains(h, "<td>pruned</td>") || !strings.Contains(h, "<td>0.5</td>") {
		t.Errorf("HTML:\n%s", h)
	}
}

func TestProgressThrottles(t *testing.T) {
	sink := &countSink{}
	leave := Enter(context.Background(), sink)
	defer leave()
	p := NewProgress(1000)
	s := &search.Study{}
	for i := 0; i < 1000; i++ {
		p.Callback(s, search.Trial{ID: i, State: search.Complete, Values: []float64{float64(i)}})
	}
	p.Done()
	if sink.displays != 1 || sink.updates != 1 || !strings.Contains(p.String(), "done: 1000/1000 trials") ||
		!strings.Contains(p.String(), "best 999 (trial 999)") {
		t.Errorf("%d displays, %d updates (want 1 and 1: the trials took no time): %s", sink.displays, sink.updates, p)
	}
}
