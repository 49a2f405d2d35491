package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

// nb201Evaluator looks architectures up in the table.
type nb201Evaluator struct {
	acc   []nb201Acc
	index map[string]int
}

// Evaluator returns an evaluator that scores an architecture decoded from
// space.NB201 by its 12-epoch validation accuracy on the dataset (one of
// NB201Datasets), reported as step 12. It never reveals test accuracies.
func (b *NB201) Evaluator(ds string) (train.Evaluator, error) {
	d, err := dataset(ds)
	if err != nil {
		return nil, err
	}
	return &nb201Evaluator{acc: b.acc[d], index: b.index}, nil
}

// Evaluate implements train.Evaluator.
func (e *nb201Evaluator) Evaluate(ctx context.Context, a *graph.Arch, r train.Reporter) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a == nil {
		return nil, errors.New("nb201: no architecture (the space must be space.NB201)")
	}
	s, ok := a.Labels[NB201Label]
	if !ok {
		return nil, fmt.Errorf("nb201: the architecture has no %q label: only architectures decoded from space.NB201 can be looked up", NB201Label)
	}
	i, ok := e.index[s]
	if !ok {
		return nil, fmt.Errorf("nb201: no architecture %q in the table", s)
	}
	v := e.acc[i].val12
	if as, ok := r.(train.AttrSetter); ok {
		// What the search must not see, kept for the user: the pick's final
		// test accuracy is the figure the NAS-Bench-201 paper reports.
		as.SetAttr(train.AttrTestAcc, strconv.FormatFloat(e.acc[i].test200, 'f', -1, 64))
	}
	if r != nil {
		r.Report(nb201Epochs, v) // the table is the final answer: a stop request changes nothing
	}
	return []float64{v}, nil
}
