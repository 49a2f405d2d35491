package bench

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

func mustLoad(t testing.TB) *NB201 {
	t.Helper()
	b, err := LoadNB201()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLoadNB201(t *testing.T) {
	start := time.Now()
	b, err := parseNB201(nb201Gz)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("parsing took %v, want well under a second", d)
	}
	if b.Len() != 15625 {
		t.Errorf("Len = %d, want 15625", b.Len())
	}
	iso := map[string]bool{}
	for i := range b.Len() {
		iso[b.iso[i]] = true
		if j, ok := b.Index(b.Arch(i)); !ok || j != i {
			t.Fatalf("Index(Arch(%d)) = %d, %v", i, j, ok)
		}
	}
	if len(iso) != 6466 {
		t.Errorf("%d isomorphism classes, want 6466", len(iso))
	}
	if b2 := mustLoad(t); b2 != mustLoad(t) {
		t.Error("LoadNB201 parsed twice")
	}
}

// The best 200-epoch test accuracies are the published facts of the
// benchmark (NAS-Bench-201 paper, Table 5 "optimal"; NATS-Bench topology).
func TestNB201MaxTestAccuracy(t *testing.T) {
	b := mustLoad(t)
	for _, c := range []struct {
		ds   string
		want float64
	}{{CIFAR10, 94.37}, {CIFAR100, 73.51}, {ImageNet16120, 47.31}} {
		got, err := b.MaxTestAccuracy(c.ds)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-c.want) > 0.005 {
			t.Errorf("MaxTestAccuracy(%s) = %.4f, want %.2f", c.ds, got, c.want)
		}
	}
}

func TestNB201Lookups(t *testing.T) {
	b := mustLoad(t)
	// Row 1 of the table.
	const arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
	tests := []struct {
		ds                     string
		val12, test12, test200 float64
	}{
		{CIFAR10, 82.8340, 88.2200, 93.6600},
		{CIFAR100, 57.8000, 58.2600, 70.2933},
		{ImageNet16120, 35.4333, 33.8000, 44.0333},
	}
	for _, c := range tests {
		r, err := b.Result(arch, c.ds)
		if err != nil {
			t.Fatal(err)
		}
		if r.Index != 1 || r.Val12 != c.val12 || r.Test12 != c.test12 || r.Test200 != c.test200 {
			t.Errorf("Result(%s) = %+v, want val %v test12 %v test200 %v", c.ds, r, c.val12, c.test12, c.test200)
		}
		if v, _ := b.ValidationAccuracy(arch, c.ds); v != c.val12 {
			t.Errorf("ValidationAccuracy(%s) = %v", c.ds, v)
		}
		if v, _ := b.TestAccuracy(arch, c.ds); v != c.test200 {
			t.Errorf("TestAccuracy(%s) = %v", c.ds, v)
		}
	}
	if _, err := b.TestAccuracy("|none~0|", CIFAR10); err == nil {
		t.Error("unknown architecture: no error")
	}
	if _, err := b.TestAccuracy(arch, "mnist"); err == nil || !strings.Contains(err.Error(), "cifar100") {
		t.Errorf("unknown dataset: error %v should list the valid ones", err)
	}
	o, err := b.Oracle(CIFAR10)
	if err != nil {
		t.Fatal(err)
	}
	if o.Val12 != 84.892 || o.Test200 != 94.3733 {
		t.Errorf("Oracle(cifar10) = %+v", o)
	}
}

type recorder struct {
	steps  []int
	values []float64
	attrs  map[string]string
}

func (r *recorder) SetAttr(k, v string) {
	if r.attrs == nil {
		r.attrs = map[string]string{}
	}
	r.attrs[k] = v
}

func (r *recorder) Report(step int, v float64) bool {
	r.steps, r.values = append(r.steps, step), append(r.values, v)
	return false
}

// The evaluator returns the 12-epoch validation accuracy, never a test one.
func TestNB201EvaluatorReturnsValidation(t *testing.T) {
	b := mustLoad(t)
	ctx := context.Background()
	for _, ds := range NB201Datasets() {
		e, err := b.Evaluator(ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1, 777, 15624} {
			arch := b.Arch(i)
			a := &graph.Arch{Labels: map[string]string{NB201Label: arch}}
			var rec recorder
			v, err := e.Evaluate(ctx, a, &rec)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := b.Result(arch, ds)
			if len(v) != 1 || v[0] != r.Val12 {
				t.Errorf("%s #%d: Evaluate = %v, want the validation accuracy %v (test %v)", ds, i, v, r.Val12, r.Test200)
			}
			if got := rec.attrs[train.AttrTestAcc]; got != strconv.FormatFloat(r.Test200, 'f', -1, 64) {
				t.Errorf("%s #%d: test_acc attribute %q, want the 200-epoch test accuracy %v", ds, i, got, r.Test200)
			}
			if len(rec.steps) != 1 || rec.steps[0] != 12 || rec.values[0] != r.Val12 {
				t.Errorf("%s #%d: reported %v %v, want step 12 = %v", ds, i, rec.steps, rec.values, r.Val12)
			}
		}
	}
	e, _ := b.Evaluator(CIFAR10)
	for name, a := range map[string]*graph.Arch{
		"nil":      nil,
		"no label": {Labels: map[string]string{"other": "x"}},
		"unknown":  {Labels: map[string]string{NB201Label: "|bogus~0|"}},
	} {
		if _, err := e.Evaluate(ctx, a, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.Evaluate(cancelled, &graph.Arch{Labels: map[string]string{NB201Label: b.Arch(0)}}, nil); err == nil {
		t.Error("cancelled context: no error")
	}
	if _, err := b.Evaluator("svhn"); err == nil || !strings.Contains(err.Error(), "imagenet16-120") {
		t.Errorf("unknown dataset: error %v should list the valid ones", err)
	}
}

func BenchmarkLoadNB201(b *testing.B) {
	for b.Loop() {
		if _, err := parseNB201(nb201Gz); err != nil {
			b.Fatal(err)
		}
	}
}
