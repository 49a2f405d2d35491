package bindings

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"runtime/debug"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space/morph"
)

// study is an open study and what runs it.
type study struct {
	st       *search.Study
	file     *morph.File
	evaluate string                     // the Evaluate text SetEvaluator added, if any
	store    interface{ Close() error } // nil for memory studies

	mu     sync.Mutex
	cancel context.CancelFunc // of the running Go-side search, nil when none
	done   chan struct{}      // closed when that search ends
	runErr error              // how it ended
	ran    int                // trials it finished
}

// stop cancels the study's running Go-side search, if any, and waits for
// it to end.
func (s *study) stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// registry holds the open studies by handle. Python holds the handles and
// closes them; a handle is never reused.
var registry = struct {
	sync.RWMutex
	next    int
	studies map[int]*study
}{next: 1, studies: map[int]*study{}}

func register(s *study) int {
	registry.Lock()
	defer registry.Unlock()
	h := registry.next
	registry.next++
	registry.studies[h] = s
	return h
}

func lookup(h int) (*study, error) {
	registry.RLock()
	defer registry.RUnlock()
	s, ok := registry.studies[h]
	if !ok {
		return nil, fmt.Errorf("no open study with handle %d (it was closed)", h)
	}
	return s, nil
}

// Close stops a study's running search, if any, closes its store and
// forgets the handle. It returns "" or the error text; closing twice is
// not an error.
func Close(handle int) (result string) {
	defer guardText(&result)
	registry.Lock()
	s, ok := registry.studies[handle]
	delete(registry.studies, handle)
	registry.Unlock()
	if !ok {
		return ""
	}
	s.stop()
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			return err.Error()
		}
	}
	return ""
}

// OpenStudies is the number of open handles (for leak tests).
func OpenStudies() int {
	registry.RLock()
	defer registry.RUnlock()
	return len(registry.studies)
}

// guardJSON turns a panic into a JSON error result.
func guardJSON(result *string) {
	if r := recover(); r != nil {
		*result = errorJSON(fmt.Errorf("internal error: %v\n%s", r, debug.Stack()))
	}
}

// guardText turns a panic into an error text result.
func guardText(result *string) {
	if r := recover(); r != nil {
		*result = fmt.Sprintf("internal error: %v\n%s", r, debug.Stack())
	}
}

// errorJSON is the result of a failed call: {"error": "..."}.
func errorJSON(err error) string {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	return string(b)
}

// okJSON encodes a result; a value that cannot be encoded is an error result.
func okJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return errorJSON(fmt.Errorf("encode the result: %w", err))
	}
	return string(b)
}

// number is a float64 that encodes NaN and infinities as null.
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

func numbers(v []float64) []number {
	out := make([]number, len(v))
	for i, x := range v {
		out[i] = number(x)
	}
	return out
}

// suggest formats ` — did you mean "x"?` for a near name, or "".
func suggest(word string, names []string) string {
	if s := morph.Suggest(word, names); s != "" {
		return fmt.Sprintf(" — did you mean %q?", s)
	}
	return ""
}
