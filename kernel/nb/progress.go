package nb

import (
	"context"
	"fmt"
	"html"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/morphml/morphml/core/search"
)

// Progress is the live view of a running search: one display, redrawn in
// place (update_display_data) at most every Interval and once a second
// while trials run long, with the trials done out of the budget, the best
// value so far, the elapsed time and the last trials. Use Optimize, or
// pass Callback to a search.Budget and call Done at the end.
type Progress struct {
	// Interval is the shortest time between two redraws (default 250 ms).
	Interval time.Duration

	mu       sync.Mutex
	live     *Live
	ctx      context.Context
	total    int
	start    time.Time
	end      time.Time
	counts   [4]int // by search.State
	best     search.Trial
	hasBest  bool
	last     []search.Trial // the most recent first
	drawn    time.Time
	finished bool
	stop     chan struct{}
}

// lastShown is how many of the most recent trials the view lists.
const lastShown = 5

// NewProgress shows the view of a search of total trials (0 when only a
// timeout bounds it) and returns it.
func NewProgress(total int) *Progress {
	p := &Progress{Interval: 250 * time.Millisecond, total: total, start: time.Now(), ctx: Context(), stop: make(chan struct{})}
	p.live = NewDisplay(p.view())
	p.drawn = time.Now()
	go p.tick()
	return p
}

// tick redraws once a second (the elapsed time moves during long trials)
// until Done or the end of the cell.
func (p *Progress) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.mu.Lock()
			if !p.finished && time.Since(p.drawn) >= time.Second {
				p.redraw()
			}
			p.mu.Unlock()
		case <-p.ctx.Done():
			p.Done()
			return
		case <-p.stop:
			return
		}
	}
}

// Callback records a finished trial; pass it in search.Budget.Callbacks.
func (p *Progress) Callback(s *search.Study, t search.Trial) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if int(t.State) < len(p.counts) && t.State >= 0 {
		p.counts[t.State]++
	}
	if t.State == search.Complete && len(t.Values) > 0 && !math.IsNaN(t.Values[0]) {
		minimize := len(s.Directions()) > 0 && s.Directions()[0] == search.Minimize
		if !p.hasBest || (minimize && t.Values[0] < p.best.Values[0]) || (!minimize && t.Values[0] > p.best.Values[0]) {
			p.best, p.hasBest = t, true
		}
	}
	p.last = append([]search.Trial{t}, p.last[:min(len(p.last), lastShown-1)]...)
	if p.finished || time.Since(p.drawn) < p.Interval {
		return
	}
	p.redraw()
}

// Done draws the final view; later trials are no longer shown.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.end = time.Now()
	p.finished = true
	close(p.stop)
	p.redraw()
}

func (p *Progress) redraw() {
	p.live.Update(p.view())
	p.drawn = time.Now()
}

// view is what the display shows now (p.mu held).
func (p *Progress) view() progressView {
	v := progressView{total: p.total, best: p.best, hasBest: p.hasBest, counts: p.counts, finished: p.finished,
		interrupted: p.ctx.Err() != nil}
	v.last = append(v.last, p.last...)
	end := p.end
	if end.IsZero() {
		end = time.Now()
	}
	v.elapsed = end.Sub(p.start)
	return v
}

// HTML is the current view.
func (p *Progress) HTML() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.view().HTML()
}

// String is the current view as one line.
func (p *Progress) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.view().String()
}

// Optimize runs s.Optimize under the cell's context (so that interrupting
// the cell stops the search, which keeps its finished trials) with the
// live Progress view of the search.
func Optimize(s *search.Study, obj search.Objective, b search.Budget) error {
	p := NewProgress(b.Trials)
	b.Callbacks = append(append([]func(*search.Study, search.Trial){}, b.Callbacks...), p.Callback)
	err := s.Optimize(Context(), obj, b)
	p.Done()
	return err
}

// progressView is a snapshot of a Progress, rendered as HTML and text.
type progressView struct {
	total                 int
	counts                [4]int
	best                  search.Trial
	hasBest               bool
	last                  []search.Trial
	elapsed               time.Duration
	finished, interrupted bool
}

func (v progressView) done() int { return v.counts[1] + v.counts[2] + v.counts[3] }

func (v progressView) status() string {
	switch {
	case v.interrupted:
		return "interrupted"
	case v.finished:
		return "done"
	}
	return "running"
}

func (v progressView) String() string {
	s := fmt.Sprintf("%s: %d", v.status(), v.done())
	if v.total > 0 {
		s += fmt.Sprintf("/%d", v.total)
	}
	s += fmt.Sprintf(" trials, %s", v.elapsed.Round(100*time.Millisecond))
	if v.hasBest {
		s += fmt.Sprintf(", best %.4g (trial %d)", v.best.Values[0], v.best.ID)
	}
	return s
}

func (v progressView) HTML() string {
	var b strings.Builder
	b.WriteString(`<div class="morphml-progress" style="font-family:sans-serif;font-size:13px">`)
	max := v.total
	if max <= 0 {
		max = v.done() + 1
	}
	fmt.Fprintf(&b, `<progress value="%d" max="%d" style="width:240px;vertical-align:middle"></progress> `, v.done(), max)
	fmt.Fprintf(&b, "<b>%d", v.done())
	if v.total > 0 {
		fmt.Fprintf(&b, " / %d", v.total)
	}
	fmt.Fprintf(&b, "</b> trials &middot; %s &middot; %s", v.elapsed.Round(100*time.Millisecond), v.status())
	if v.counts[2]+v.counts[3] > 0 {
		fmt.Fprintf(&b, " &middot; %d pruned, %d failed", v.counts[2], v.counts[3])
	}
	if v.hasBest {
		fmt.Fprintf(&b, " &middot; best <b>%.4g</b> (trial %d)", v.best.Values[0], v.best.ID)
	}
	if len(v.last) > 0 {
		b.WriteString(`<table style="margin-top:4px"><thead><tr><th>trial</th><th>state</th><th>value</th><th>time</th><th>architecture</th></tr></thead><tbody>`)
		for _, t := range v.last {
			val := ""
			if len(t.Values) > 0 {
				val = fmt.Sprintf("%.4g", t.Values[0])
			}
			dur := ""
			if !t.Started.IsZero() && !t.Finished.IsZero() {
				dur = t.Finished.Sub(t.Started).Round(time.Millisecond).String()
			}
			arch := archSummary(t)
			fmt.Fprintf(&b, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td></tr>",
				t.ID, t.State, val, dur, html.EscapeString(arch))
		}
		b.WriteString("</tbody></table>")
	}
	b.WriteString("</div>")
	return b.String()
}

// archSummary names an architecture in a few words: its NAS-Bench-201 cell,
// or its operations in order.
func archSummary(t search.Trial) string {
	a := t.Arch
	if a == nil {
		return ""
	}
	if l := a.Labels["nb201"]; l != "" {
		return l
	}
	var ops []string
	for _, n := range a.Nodes {
		if n.Op != "input" && n.Op != "output" {
			ops = append(ops, n.Op)
		}
	}
	s := strings.Join(ops, " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
