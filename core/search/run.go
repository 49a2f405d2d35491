package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
)

// Objective evaluates one trial. Architecture searches usually wrap a
// train.Evaluator with EvaluatorObjective; hyper-parameter searches read the
// run's parameters.
type Objective interface {
	Evaluate(ctx context.Context, r *Run) ([]float64, error)
}

// ObjectiveFunc adapts a function to Objective.
type ObjectiveFunc func(ctx context.Context, r *Run) ([]float64, error)

// Evaluate implements Objective.
func (f ObjectiveFunc) Evaluate(ctx context.Context, r *Run) ([]float64, error) { return f(ctx, r) }

// EvaluatorObjective evaluates each trial's architecture with e.
func EvaluatorObjective(e train.Evaluator) Objective {
	return ObjectiveFunc(func(ctx context.Context, r *Run) ([]float64, error) {
		if r.Arch == nil {
			return nil, errors.New("the search space has no architecture to evaluate (use an objective that reads the parameters)")
		}
		return e.Evaluate(ctx, r.Arch, r)
	})
}

// Run is a trial being evaluated. It is the train.Reporter of its
// evaluation: Report records an intermediate value and says whether the
// pruner wants the evaluation to stop.
type Run struct {
	ID     int
	Params space.Point
	Arch   *graph.Arch
	study  *Study
	pruned bool
}

// Report implements train.Reporter.
func (r *Run) Report(step int, value float64) (stop bool) {
	stop, err := r.study.report(r.ID, step, value)
	if err != nil {
		return true // the trial is finished or unknown: nothing more to evaluate
	}
	if stop {
		r.pruned = true
	}
	return stop
}

// Report records an intermediate value of a running trial asked with Ask
// and says whether the pruner wants it stopped (then finish it with
// TellPruned). It is Run.Report for studies driven by hand.
func (s *Study) Report(id, step int, value float64) (prune bool, err error) {
	return s.report(id, step, value)
}

func (s *Study) report(id, step int, value float64) (bool, error) {
	s.mu.Lock()
	if id < 0 || id >= len(s.trials) {
		s.mu.Unlock()
		return false, fmt.Errorf("study %q: %w: %d", s.cfg.Name, ErrNoTrial, id)
	}
	t := &s.trials[id]
	if t.State.Finished() {
		s.mu.Unlock()
		return false, fmt.Errorf("study %q: trial %d: %w", s.cfg.Name, id, ErrTrialFinished)
	}
	t.Curve = append(t.Curve, Step{Step: step, Value: value})
	cur := t.Clone()
	s.mu.Unlock()
	if st := s.cfg.Storage; st != nil {
		// A lost intermediate value must not kill the evaluation; the final
		// FinishTrial writes the whole curve again.
		_ = st.Report(s.cfg.Name, id, step, value)
	}
	return s.cfg.Pruner != nil && s.cfg.Pruner.Prune(s.history(math.MaxInt, id), cur), nil
}

// SetAttr records a fact about the evaluation (train.AttrSetter); it is
// stored with the trial when it finishes.
func (r *Run) SetAttr(key, value string) {
	s := r.study
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.trials[r.ID]
	if t.State.Finished() {
		return
	}
	if t.Attrs == nil {
		t.Attrs = map[string]string{}
	}
	t.Attrs[key] = value
}

// SetAttr records a fact about a running trial asked with Ask (its user
// attributes); it is stored with the trial when it finishes.
func (s *Study) SetAttr(id int, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id < 0 || id >= len(s.trials) {
		return fmt.Errorf("study %q: %w: %d", s.cfg.Name, ErrNoTrial, id)
	}
	t := &s.trials[id]
	if t.State.Finished() {
		return fmt.Errorf("study %q: trial %d: %w", s.cfg.Name, id, ErrTrialFinished)
	}
	if t.Attrs == nil {
		t.Attrs = map[string]string{}
	}
	t.Attrs[key] = value
	return nil
}

// Value returns a parameter's encoded value by name (NaN if unknown).
func (r *Run) Value(name string) float64 {
	i := r.study.cfg.Space.Lookup(name)
	if i < 0 {
		return math.NaN()
	}
	return r.Params[i]
}

// Label returns a parameter's value as text by name ("" if unknown).
func (r *Run) Label(name string) string {
	i := r.study.cfg.Space.Lookup(name)
	if i < 0 {
		return ""
	}
	return r.study.cfg.Space.Params[i].Format(r.Params[i])
}

var (
	_ train.Reporter   = (*Run)(nil)
	_ train.AttrSetter = (*Run)(nil)
)

// Ask proposes a new trial and records it as running. Use it with Tell to
// drive a study by hand; Optimize does both for you. A point that breaks a
// constraint is recorded as a failed, infeasible trial and returned with
// State Failed.
func (s *Study) Ask() (Trial, error) {
	return s.ask(math.MaxInt)
}

// ask asks the optimizer for the next ID; trials with ID <= upto are shown as
// done (if finished).
func (s *Study) ask(upto int) (Trial, error) {
	s.opt.Lock()
	defer s.opt.Unlock()
	s.mu.Lock()
	id := len(s.trials)
	s.mu.Unlock()
	h := s.history(upto, id)
	pt, err := s.cfg.Optimizer.Ask(h)
	if err != nil {
		return Trial{}, fmt.Errorf("study %q: optimizer ask for trial %d: %w", s.cfg.Name, id, err)
	}
	if !s.cfg.Space.Contains(pt) {
		return Trial{}, fmt.Errorf("study %q: optimizer proposed %v, outside the space", s.cfg.Name, pt)
	}
	t := Trial{ID: id, Params: pt, State: Running, Started: time.Now().UTC()}
	a, derr := s.cfg.Space.Decode(pt)
	t.Arch = a
	t.ArchHash = hashOf(a)
	if a != nil {
		if c, err := graph.Count(a); err == nil {
			t.Attrs = map[string]string{AttrArchParams: strconv.FormatInt(c.Params, 10), AttrArchFLOPs: strconv.FormatInt(c.FLOPs, 10)}
		}
	}
	if st := s.cfg.Storage; st != nil {
		if err := st.StartTrial(s.cfg.Name, t); err != nil {
			return Trial{}, fmt.Errorf("study %q: record trial %d: %w", s.cfg.Name, id, err)
		}
	}
	s.mu.Lock()
	s.add(t)
	s.mu.Unlock()
	if derr != nil {
		attrs := map[string]string{AttrError: derr.Error()}
		if errors.Is(derr, space.ErrConstraint) {
			attrs[AttrInfeasible] = "true"
		}
		return s.finish(id, Failed, nil, attrs)
	}
	return t.Clone(), nil
}

// Tell finishes a trial asked with Ask: with values it is Complete, with a
// non-nil err it is Failed (the error kept in Attrs["error"]).
func (s *Study) Tell(id int, values []float64, err error) (Trial, error) {
	switch {
	case err != nil:
		return s.tell(id, Failed, nil, map[string]string{AttrError: err.Error()})
	case len(values) != len(s.cfg.Directions):
		return s.tell(id, Failed, nil, map[string]string{AttrError: fmt.Sprintf(
			"the objective returned %d values for %d objectives", len(values), len(s.cfg.Directions))})
	}
	return s.tell(id, Complete, values, nil)
}

// TellPruned finishes a trial as pruned.
func (s *Study) TellPruned(id int) (Trial, error) {
	return s.tell(id, Pruned, nil, nil)
}

// tell finishes a trial and tells the optimizer every trial that is now
// finished in ID order.
func (s *Study) tell(id int, state State, values []float64, attrs map[string]string) (Trial, error) {
	t, err := s.finish(id, state, values, attrs)
	if err != nil {
		return t, err
	}
	return t, s.tellPrefix()
}

// finish records the final state of a running trial, once.
func (s *Study) finish(id int, state State, values []float64, attrs map[string]string) (Trial, error) {
	s.mu.Lock()
	if id < 0 || id >= len(s.trials) {
		s.mu.Unlock()
		return Trial{}, fmt.Errorf("study %q: %w: %d", s.cfg.Name, ErrNoTrial, id)
	}
	if s.trials[id].State.Finished() {
		s.mu.Unlock()
		return Trial{}, fmt.Errorf("study %q: trial %d: %w", s.cfg.Name, id, ErrTrialFinished)
	}
	t := s.trials[id].Clone()
	s.mu.Unlock()
	t.State = state
	t.Values = append([]float64(nil), values...)
	t.Finished = time.Now().UTC()
	for k, v := range attrs {
		if t.Attrs == nil {
			t.Attrs = map[string]string{}
		}
		t.Attrs[k] = v
	}
	if st := s.cfg.Storage; st != nil {
		if err := st.FinishTrial(s.cfg.Name, t); err != nil {
			return Trial{}, fmt.Errorf("study %q: record the end of trial %d: %w", s.cfg.Name, id, err)
		}
	}
	s.mu.Lock()
	s.trials[id] = t
	s.advancePrefix()
	if state == Complete && t.ArchHash != "" {
		if _, ok := s.byHash[t.ArchHash]; !ok {
			s.byHash[t.ArchHash] = id
		}
	}
	if ch, ok := s.waiters[id]; ok {
		close(ch)
		delete(s.waiters, id)
	}
	s.mu.Unlock()
	return t.Clone(), nil
}

// evaluate runs the objective for one trial, reusing the result of an
// earlier trial with the same canonical architecture when there is one.
// It returns the final state, values and attributes; it never panics.
func (s *Study) evaluate(ctx context.Context, obj Objective, t Trial) (state State, values []float64, attrs map[string]string) {
	if t.ArchHash != "" {
		s.mu.Lock()
		first, ok := s.byHash[t.ArchHash]
		ok = ok && first < t.ID
		var wait chan struct{}
		if ok && !s.trials[first].State.Finished() {
			wait = s.waitFor(first)
		}
		s.mu.Unlock()
		if ok {
			if wait != nil {
				select {
				case <-wait:
				case <-ctx.Done():
					return Failed, nil, map[string]string{AttrError: ctx.Err().Error()}
				}
			}
			if prev, _ := s.Trial(first); prev.State == Complete {
				return Complete, prev.Values, map[string]string{AttrCachedBy: fmt.Sprint(first)}
			}
		}
	}
	r := &Run{ID: t.ID, Params: t.Params.Clone(), Arch: t.Arch, study: s}
	defer func() {
		if p := recover(); p != nil {
			state, values = Failed, nil
			attrs = map[string]string{AttrError: fmt.Sprintf("panic in objective: %v\n%s", p, debug.Stack())}
		}
	}()
	vals, err := obj.Evaluate(ctx, r)
	switch {
	case r.pruned:
		return Pruned, nil, nil
	case err != nil:
		return Failed, nil, map[string]string{AttrError: err.Error()}
	case len(vals) != len(s.cfg.Directions):
		return Failed, nil, map[string]string{AttrError: fmt.Sprintf(
			"the objective returned %d values for %d objectives", len(vals), len(s.cfg.Directions))}
	}
	return Complete, vals, nil
}
