package train

import (
	"context"

	"github.com/morphml/morphml/core/graph"
)

// Reporter receives intermediate values (for example the validation accuracy
// after each epoch). Report returns true when the evaluation should stop
// early because a pruner judged it hopeless.
type Reporter interface {
	Report(step int, value float64) (stop bool)
}

// Evaluator evaluates one architecture and returns one value per objective.
// It must honour ctx cancellation and be safe for concurrent use.
type Evaluator interface {
	Evaluate(ctx context.Context, a *graph.Arch, r Reporter) ([]float64, error)
}

// NopReporter ignores reports and never stops.
type NopReporter struct{}

// Report implements Reporter.
func (NopReporter) Report(int, float64) bool { return false }

// AttrSetter is implemented by reporters that record facts about an
// evaluation besides its objectives (test accuracy, training time, latency).
// Evaluators should check for it with a type assertion.
type AttrSetter interface {
	SetAttr(key, value string)
}
