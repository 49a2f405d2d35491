package bindings

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/morphml/morphml/core/experiment"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space/morph"
)

// StartOptimize runs the study's own evaluator (the .morph file's Evaluate:
// a tabular benchmark or CPU training) for nTrials new trials in a Go
// goroutine, parallel at once (0: the file's setting), for at most
// timeoutS seconds (0: no limit). Python polls it with Poll and stops it
// with Cancel, so the interpreter keeps its signals and threads. It returns
// "" or the error text.
func StartOptimize(handle, nTrials, parallel int, timeoutS float64) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	obj, err := experiment.Objective(s.file)
	if err != nil {
		return err.Error()
	}
	if nTrials <= 0 && timeoutS <= 0 {
		return "give n_trials or a timeout"
	}
	b := search.Budget{Trials: nTrials, Timeout: time.Duration(timeoutS * float64(time.Second)), Parallel: parallel}
	if b.Parallel <= 0 {
		b.Parallel = max(1, s.file.Search.Parallel)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return fmt.Sprintf("study %q is already running a search", s.st.Name())
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done, s.runErr, s.ran = cancel, make(chan struct{}), nil, 0
	b.Callbacks = []func(*search.Study, search.Trial){func(*search.Study, search.Trial) {
		s.mu.Lock()
		s.ran++
		s.mu.Unlock()
	}}
	done := s.done
	go func() {
		defer close(done)
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("internal error: %v", r)
				}
			}()
			err = s.st.Optimize(ctx, obj, b)
		}()
		s.mu.Lock()
		s.runErr, s.cancel = err, nil
		s.mu.Unlock()
		cancel()
	}()
	return ""
}

// Poll waits up to waitMs milliseconds for the running search to end and
// returns {"running": bool, "finished": trials finished by it, "best":
// the best value so far or null, "run_error": "" or why it stopped}.
func Poll(handle, waitMs int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	running := false
	if done != nil {
		select {
		case <-done:
		default:
			timer := time.NewTimer(time.Duration(waitMs) * time.Millisecond)
			select {
			case <-done:
			case <-timer.C:
				running = true
			}
			timer.Stop()
		}
	}
	s.mu.Lock()
	ran, runErr := s.ran, s.runErr
	s.mu.Unlock()
	best := number(math.NaN())
	if t, ok := s.st.Best(); ok {
		best = number(t.Value(0))
	}
	msg := ""
	if runErr != nil && !running {
		msg = runErr.Error()
	}
	return okJSON(map[string]any{"running": running, "finished": ran, "best": best, "run_error": msg})
}

// Cancel stops the running search, if any: no new trials start, running
// evaluations are cancelled, finished trials are kept. It waits for the
// search to end and returns "".
func Cancel(handle int) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	s.stop()
	return ""
}

// SetEvaluator gives the study an evaluator, as the text of an Evaluate
// statement (for example `Evaluate(benchmark="nb201", dataset="cifar10")`),
// checked against the study's space. A study whose file has an Evaluate
// statement keeps it: setting the same text again is fine, another is an
// error. It returns "" or the error text.
func SetEvaluator(handle int, evaluate string) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return fmt.Sprintf("study %q is running a search", s.st.Name())
	}
	if s.evaluate == evaluate && s.file.Evaluate != nil {
		return ""
	}
	if s.file.Evaluate != nil {
		return fmt.Sprintf("study %q already has an evaluator (its .morph file's Evaluate statement)", s.st.Name())
	}
	f, err := morph.Parse(s.file.Path, []byte(s.file.Source+"\n"+evaluate+"\n"))
	if err != nil {
		return err.Error()
	}
	s.file.Evaluate, s.evaluate = f.Evaluate, evaluate
	return ""
}
