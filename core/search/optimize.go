package search

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Budget bounds one call of Optimize.
type Budget struct {
	Trials   int           // new trials to ask (0: bounded by Timeout only, or none without it)
	Timeout  time.Duration // stop asking new trials after this long (0: no bound)
	Parallel int           // evaluations at once (default 1)
	// MaxFailures stops the search after this many failed evaluations in a
	// row (default 10), so that a broken evaluator (a missing dataset, say)
	// does not burn the whole budget. Negative: never stop.
	MaxFailures int
	// Callbacks run after each trial finishes, one at a time, in the
	// goroutine that called Optimize.
	Callbacks []func(s *Study, t Trial)
}

// ErrTooManyFailures is returned when Budget.MaxFailures evaluations failed
// in a row.
var ErrTooManyFailures = errors.New("too many failed trials in a row")

type outcome struct {
	id     int
	state  State
	values []float64
	attrs  map[string]string
}

// Optimize evaluates trials until the budget is spent: first the trials a
// killed run left running (resume), then new ones from the optimizer.
//
// Reproducibility: trial k is asked only once every trial with ID <= k-P
// (P = Budget.Parallel) has finished, and the optimizer sees exactly those
// trials as done and trials k-P+1 .. k-1 as running. The points asked thus
// depend on the seed and the evaluation results, never on timing, so the
// same seed gives the same trials at any parallelism P (for the same P).
//
// When ctx is cancelled, Optimize returns ctx.Err() at once; trials still
// being evaluated stay running in the store and a later Optimize (after
// NewStudy on the same store) evaluates them again. Finished trials are
// never lost.
func (s *Study) Optimize(ctx context.Context, obj Objective, b Budget) error {
	p := max(b.Parallel, 1)
	maxFail := b.MaxFailures
	if maxFail == 0 {
		maxFail = 10
	}
	var deadline <-chan time.Time
	if b.Timeout > 0 {
		timer := time.NewTimer(b.Timeout)
		defer timer.Stop()
		deadline = timer.C
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Re-evaluate trials left running by an earlier, interrupted process.
	var pending []Trial
	for _, id := range s.running() {
		s.mu.Lock()
		s.trials[id].Curve = nil // the evaluation starts again
		t := s.trials[id].Clone()
		s.mu.Unlock()
		if s.cfg.Storage != nil {
			if err := s.cfg.Storage.StartTrial(s.cfg.Name, t); err != nil {
				return fmt.Errorf("study %q: re-claim trial %d: %w", s.cfg.Name, t.ID, err)
			}
		}
		pending = append(pending, t)
	}
	// At most p evaluations run at once: a buffer of p lets each deliver
	// its result even after Optimize returned.
	results := make(chan outcome, p)
	inflight := 0
	launch := func(t Trial) {
		inflight++
		go func() {
			st, vals, attrs := s.evaluate(ctx, obj, t)
			results <- outcome{t.ID, st, vals, attrs}
		}()
	}
	if b.Trials <= 0 && b.Timeout <= 0 && len(pending) == 0 {
		return fmt.Errorf("study %q: the budget needs a number of trials or a timeout", s.cfg.Name)
	}
	asked, failures, timedOut := 0, 0, false
	handle := func(t Trial) error {
		if t.State == Failed {
			failures++
		} else {
			failures = 0
		}
		for _, cb := range b.Callbacks {
			cb(s, t)
		}
		if maxFail > 0 && failures >= maxFail {
			return fmt.Errorf("study %q: %w (%d); the last one: %s", s.cfg.Name, ErrTooManyFailures, failures, t.Attrs[AttrError])
		}
		return nil
	}
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := s.tellPrefix(); err != nil {
			return err
		}
		for len(pending) > 0 && inflight < p {
			launch(pending[0])
			pending = pending[1:]
		}
		next := s.Len()
		canAsk := len(pending) == 0 && inflight < p && !timedOut && ctx.Err() == nil &&
			(asked < b.Trials || b.Trials <= 0 && b.Timeout > 0) && s.prefixFinished(next-p)
		if canAsk {
			t, err := s.ask(next - p)
			if err != nil {
				return err
			}
			asked++
			if t.State == Failed { // infeasible or undecodable: finished already
				if err := handle(t); err != nil {
					return err
				}
				continue
			}
			launch(t)
			continue
		}
		if inflight == 0 && (len(pending) == 0) {
			if !s.prefixFinished(next - 1) {
				return fmt.Errorf("study %q: internal error: trials left running with nothing in flight", s.cfg.Name)
			}
			return s.tellPrefix()
		}
		select {
		case r := <-results:
			inflight--
			if ctx.Err() != nil {
				// Interrupted: the trial stays running, to be evaluated again
				// on resume, rather than recorded as failed by the interruption.
				return ctx.Err()
			}
			t, err := s.finish(r.id, r.state, r.values, r.attrs)
			if err != nil {
				return err
			}
			if err := handle(t); err != nil {
				return err
			}
		case <-deadline:
			timedOut, deadline = true, nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// running returns the IDs of the running trials, in order.
func (s *Study) running() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []int
	for i := s.prefix; i < len(s.trials); i++ { // those before prefix have finished
		if s.trials[i].State == Running {
			ids = append(ids, i)
		}
	}
	return ids
}

// prefixFinished reports whether every trial with ID <= upto has finished.
func (s *Study) prefixFinished(upto int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return upto < s.prefix || s.prefix == len(s.trials)
}

// tellPrefix tells the optimizer, in ID order, every finished trial that
// directly follows those already told.
func (s *Study) tellPrefix() error {
	s.opt.Lock()
	defer s.opt.Unlock()
	for {
		s.mu.Lock()
		if s.told >= len(s.trials) || !s.trials[s.told].State.Finished() {
			s.mu.Unlock()
			return nil
		}
		t := s.trials[s.told].Clone()
		s.told++
		s.mu.Unlock()
		if err := s.cfg.Optimizer.Tell(t); err != nil {
			return fmt.Errorf("study %q: optimizer tell trial %d: %w", s.cfg.Name, t.ID, err)
		}
	}
}
