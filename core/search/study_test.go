package search_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// climber is a small history-derived optimizer for these tests: random for
// the first 4 trials, then a mutation of the best so far.
type climber struct{ seed int64 }

func (c climber) Ask(h *search.History) (space.Point, error) {
	rng := search.Rand(c.seed, h.Next)
	best, ok := h.Best()
	if len(h.Done) < 4 || !ok {
		return search.SampleUnseen(h, rng, 20), nil
	}
	return h.Space.Mutate(best.Params, rng), nil
}
func (climber) Tell(search.Trial) error { return nil }

func hpoSpace() *space.Space {
	return &space.Space{Name: "hpo", Params: []space.Param{
		space.NewFloat("x", -5, 5, false),
		space.NewInt("n", 1, 64, true),
		space.NewCategorical("act", "relu", "gelu", "tanh"),
	}}
}

// bowl is maximal at x = 1, n = 8, act = gelu.
func bowl(r *search.Run) float64 {
	x, n := r.Value("x"), r.Value("n")
	v := -(x-1)*(x-1) - math.Abs(math.Log2(n)-3)
	if r.Label("act") == "gelu" {
		v += 1
	}
	return v
}

func jitteryObjective(seed uint64) search.Objective {
	var calls atomic.Uint64
	return search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		// Vary timing so that parallel completion order changes between runs.
		d := rand.New(rand.NewPCG(seed, calls.Add(1))).IntN(3)
		time.Sleep(time.Duration(d) * time.Millisecond)
		return []float64{bowl(r)}, nil
	})
}

func newStudy(t *testing.T, cfg search.StudyConfig) *search.Study {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = "test"
	}
	if cfg.Space == nil {
		cfg.Space = hpoSpace()
	}
	if cfg.Optimizer == nil {
		cfg.Optimizer = climber{seed: cfg.Seed}
	}
	s, err := search.NewStudy(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func params(s *search.Study) []string {
	var out []string
	for _, t := range s.Trials() {
		out = append(out, t.Params.Key())
	}
	return out
}

func TestOptimizeReproducible(t *testing.T) {
	for _, parallel := range []int{1, 4} {
		t.Run(fmt.Sprintf("parallel=%d", parallel), func(t *testing.T) {
			var runs [][]string
			for i := range 3 {
				s := newStudy(t, search.StudyConfig{Seed: 7})
				if err := s.Optimize(context.Background(), jitteryObjective(uint64(i)), search.Budget{Trials: 40, Parallel: parallel}); err != nil {
					t.Fatal(err)
				}
				if s.Len() != 40 {
					t.Fatalf("%d trials, want 40", s.Len())
				}
				runs = append(runs, params(s))
			}
			for i := 1; i < len(runs); i++ {
				if strings.Join(runs[i], ";") != strings.Join(runs[0], ";") {
					t.Fatalf("run %d asked other points than run 0 with the same seed", i)
				}
			}
			other := newStudy(t, search.StudyConfig{Seed: 8})
			if err := other.Optimize(context.Background(), jitteryObjective(0), search.Budget{Trials: 40, Parallel: parallel}); err != nil {
				t.Fatal(err)
			}
			if strings.Join(params(other), ";") == strings.Join(runs[0], ";") {
				t.Fatal("another seed asked the same points")
			}
		})
	}
}

func TestOptimizeImproves(t *testing.T) {
	s := newStudy(t, search.StudyConfig{Seed: 1})
	if err := s.Optimize(context.Background(), jitteryObjective(1), search.Budget{Trials: 200, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	best, ok := s.Best()
	if !ok || best.Values[0] < 0.5 {
		t.Fatalf("best = %v (%v), want > 0.5 (optimum 1)", best.Values, ok)
	}
	first, _ := s.Trial(0)
	if best.Values[0] < first.Values[0] {
		t.Fatal("best is worse than the first trial")
	}
}

func TestFailuresAndPanicsAreRecorded(t *testing.T) {
	var n atomic.Int32
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		switch n.Add(1) % 3 {
		case 0:
			return nil, errors.New("dataset missing")
		case 1:
			panic("boom")
		}
		return []float64{1}, nil
	})
	s := newStudy(t, search.StudyConfig{})
	if err := s.Optimize(context.Background(), obj, search.Budget{Trials: 9}); err != nil {
		t.Fatal(err)
	}
	states := map[search.State]int{}
	for _, tr := range s.Trials() {
		states[tr.State]++
		if tr.State == search.Failed {
			msg := tr.Attrs[search.AttrError]
			if !strings.Contains(msg, "dataset missing") && !strings.Contains(msg, "panic in objective: boom") {
				t.Errorf("trial %d: error %q", tr.ID, msg)
			}
		}
	}
	if states[search.Complete] != 3 || states[search.Failed] != 6 {
		t.Fatalf("states = %v, want 3 complete, 6 failed", states)
	}
}

func TestTooManyFailuresStops(t *testing.T) {
	obj := search.ObjectiveFunc(func(context.Context, *search.Run) ([]float64, error) {
		return nil, errors.New("open /nope/train.csv: no such file")
	})
	s := newStudy(t, search.StudyConfig{})
	err := s.Optimize(context.Background(), obj, search.Budget{Trials: 100, MaxFailures: 5})
	if !errors.Is(err, search.ErrTooManyFailures) || !strings.Contains(err.Error(), "/nope/train.csv") {
		t.Fatalf("err = %v", err)
	}
	if s.Len() != 5 {
		t.Fatalf("%d trials, want 5", s.Len())
	}
}

func TestWrongNumberOfValuesFails(t *testing.T) {
	obj := search.ObjectiveFunc(func(context.Context, *search.Run) ([]float64, error) { return []float64{1, 2}, nil })
	s := newStudy(t, search.StudyConfig{})
	if err := s.Optimize(context.Background(), obj, search.Budget{Trials: 2, MaxFailures: -1}); err != nil {
		t.Fatal(err)
	}
	tr, _ := s.Trial(0)
	if tr.State != search.Failed || !strings.Contains(tr.Attrs[search.AttrError], "2 values for 1 objectives") {
		t.Fatalf("trial 0 = %v %v", tr.State, tr.Attrs)
	}
}

type stopAtStep struct{ step int }

func (p stopAtStep) Prune(h *search.History, t search.Trial) bool {
	return len(t.Curve) > 0 && t.Curve[len(t.Curve)-1].Step >= p.step && t.ID%2 == 1
}

func TestPrunerStopsRun(t *testing.T) {
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		for step := 1; step <= 10; step++ {
			if r.Report(step, float64(step)) {
				return nil, nil
			}
		}
		return []float64{10}, nil
	})
	s := newStudy(t, search.StudyConfig{Pruner: stopAtStep{3}})
	if err := s.Optimize(context.Background(), obj, search.Budget{Trials: 6, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	for _, tr := range s.Trials() {
		want, steps := search.Complete, 10
		if tr.ID%2 == 1 {
			want, steps = search.Pruned, 3
		}
		if tr.State != want || len(tr.Curve) != steps {
			t.Errorf("trial %d: %v with %d steps, want %v with %d", tr.ID, tr.State, len(tr.Curve), want, steps)
		}
	}
}

func TestTimeoutBudget(t *testing.T) {
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		time.Sleep(5 * time.Millisecond)
		return []float64{0}, nil
	})
	s := newStudy(t, search.StudyConfig{})
	start := time.Now()
	if err := s.Optimize(context.Background(), obj, search.Budget{Timeout: 100 * time.Millisecond, Parallel: 2}); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 2*time.Second || s.Len() < 5 {
		t.Fatalf("%d trials in %v", s.Len(), el)
	}
}

func TestCancelKeepsFinishedTrials(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		if r.ID == 5 {
			cancel()
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return []float64{float64(r.ID)}, nil
	})
	s := newStudy(t, search.StudyConfig{})
	err := s.Optimize(ctx, obj, search.Budget{Trials: 100})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	trials := s.Trials()
	if len(trials) != 6 || trials[5].State != search.Running {
		t.Fatalf("got %d trials, last %v", len(trials), trials[len(trials)-1].State)
	}
	for _, tr := range trials[:5] {
		if tr.State != search.Complete {
			t.Fatalf("trial %d lost: %v", tr.ID, tr.State)
		}
	}
}

// chainDecoder maps (width, unused) to a dense net; "unused" does not change
// the architecture, so half the points are duplicates for the cache.
type chainDecoder struct{}

func (chainDecoder) Decode(p space.Point) (*graph.Arch, error) {
	a := &graph.Arch{Input: graph.Shape{16}}
	a.Add(graph.OpInput, nil)
	a.Add(graph.OpDense, map[string]int{"units": 8 << int(p[0])}, 0)
	a.Add(graph.OpOutput, map[string]int{"units": 2}, 1)
	return a, nil
}

func TestCacheByCanonicalArch(t *testing.T) {
	sp := &space.Space{Name: "chain", Decoder: chainDecoder{}, Params: []space.Param{
		space.NewCategorical("width", "8", "16", "32"),
		space.NewCategorical("unused", "a", "b", "c", "d"),
	}}
	var evals atomic.Int32
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		evals.Add(1)
		return []float64{float64(r.Arch.Nodes[1].Attrs["units"])}, nil
	})
	s := newStudy(t, search.StudyConfig{Space: sp})
	if err := s.Optimize(context.Background(), obj, search.Budget{Trials: 12, Parallel: 3}); err != nil {
		t.Fatal(err)
	}
	if evals.Load() != 3 {
		t.Fatalf("%d evaluations for 3 distinct architectures", evals.Load())
	}
	cached := 0
	for _, tr := range s.Trials() {
		if tr.State != search.Complete {
			t.Fatalf("trial %d %v", tr.ID, tr.State)
		}
		if tr.Attrs[search.AttrCachedBy] != "" {
			cached++
		}
	}
	if cached != 9 {
		t.Fatalf("%d cached trials, want 9", cached)
	}
}

func TestConstraintMakesInfeasibleTrials(t *testing.T) {
	sp := &space.Space{Name: "chain", Decoder: chainDecoder{}, MaxParams: 16*16 + 16 + 16*2 + 2,
		Params: []space.Param{space.NewCategorical("width", "8", "16", "32")}}
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		return []float64{1}, nil
	})
	s := newStudy(t, search.StudyConfig{Space: sp})
	if err := s.Optimize(context.Background(), obj, search.Budget{Trials: 30, MaxFailures: -1}); err != nil {
		t.Fatal(err)
	}
	for _, tr := range s.Trials() {
		width := sp.Params[0].Format(tr.Params[0])
		infeasible := tr.Attrs[search.AttrInfeasible] == "true"
		if infeasible != (width == "32") {
			t.Errorf("trial %d width %s: infeasible=%v (%v)", tr.ID, width, infeasible, tr.Attrs)
		}
	}
}

func TestAskTellByHand(t *testing.T) {
	s := newStudy(t, search.StudyConfig{Directions: []search.Direction{search.Minimize}})
	for i := range 5 {
		tr, err := s.Ask()
		if err != nil {
			t.Fatal(err)
		}
		if tr.ID != i || tr.State != search.Running {
			t.Fatalf("ask %d gave %+v", i, tr)
		}
		if _, err := s.Tell(tr.ID, []float64{float64(10 - i)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Tell(0, []float64{1}, nil); !errors.Is(err, search.ErrTrialFinished) {
		t.Fatalf("second tell: %v", err)
	}
	best, _ := s.Best()
	if best.ID != 4 {
		t.Fatalf("best = %d, want 4 (minimize)", best.ID)
	}
}

// pruneBelow prunes a trial whose last reported value is below a threshold.
type pruneBelow float64

func (p pruneBelow) Prune(h *search.History, t search.Trial) bool {
	return len(t.Curve) > 0 && t.Curve[len(t.Curve)-1].Value < float64(p)
}

func TestReportByHand(t *testing.T) {
	s := newStudy(t, search.StudyConfig{Pruner: pruneBelow(0.5)})
	tr, err := s.Ask()
	if err != nil {
		t.Fatal(err)
	}
	if prune, err := s.Report(tr.ID, 1, 0.9); err != nil || prune {
		t.Fatalf("Report(0.9) = %v, %v; want no prune", prune, err)
	}
	if prune, err := s.Report(tr.ID, 2, 0.1); err != nil || !prune {
		t.Fatalf("Report(0.1) = %v, %v; want prune", prune, err)
	}
	got, err := s.TellPruned(tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != search.Pruned || len(got.Curve) != 2 || got.Curve[1].Value != 0.1 {
		t.Fatalf("pruned trial = %+v", got)
	}
	if _, err := s.Report(tr.ID, 3, 1); !errors.Is(err, search.ErrTrialFinished) {
		t.Fatalf("Report after the end: %v, want ErrTrialFinished", err)
	}
	if _, err := s.Report(99, 1, 1); !errors.Is(err, search.ErrNoTrial) {
		t.Fatalf("Report of an unknown trial: %v, want ErrNoTrial", err)
	}
}

func TestSetAttrByHand(t *testing.T) {
	s := newStudy(t, search.StudyConfig{})
	tr, err := s.Ask()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetAttr(tr.ID, "note", "first"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Tell(tr.ID, []float64{1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attrs["note"] != "first" {
		t.Fatalf("attrs = %v, want note=first", got.Attrs)
	}
	if err := s.SetAttr(tr.ID, "note", "late"); !errors.Is(err, search.ErrTrialFinished) {
		t.Fatalf("SetAttr after the end: %v", err)
	}
}

func TestSnapshot(t *testing.T) {
	s := newStudy(t, search.StudyConfig{})
	for i := 0; i < 3; i++ {
		tr, _ := s.Ask()
		s.Tell(tr.ID, []float64{float64(i)}, nil)
	}
	running, _ := s.Ask()
	s.Report(running.ID, 1, 0.5)
	snap := s.Snapshot()
	if len(snap) != 4 || snap[2].Values[0] != 2 || snap[3].State != search.Running || len(snap[3].Curve) != 1 {
		t.Fatalf("snapshot = %+v", snap)
	}
	s.Report(running.ID, 2, 0.6) // the running trial's copy does not change
	if len(snap[3].Curve) != 1 {
		t.Errorf("the snapshot of a running trial changed: %v", snap[3].Curve)
	}
	s.Tell(running.ID, []float64{9}, nil)
	all := s.Snapshot()
	if len(all) != 4 || all[3].Values[0] != 9 || snap[3].State != search.Running {
		t.Fatalf("after the tell: %+v / %+v", all[3], snap[3])
	}
}
