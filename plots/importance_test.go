package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

// TestImportanceRanking: in the synthetic study the objective depends most
// on op, then lr, a little on depth and not at all on seed_noise; the
// fixed parameter is left out.
func TestImportanceRanking(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		d, err := ParamImportance(synthInfo(), synthTrials(120, 1, uint64(seed)), ImportanceOptions{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(d.Params, " "); got != "op lr depth seed_noise" {
			t.Errorf("seed %d: ranking %s, want op lr depth seed_noise (shares %.3f)", seed, got, d.Importance)
		}
		sum := 0.0
		for _, v := range d.Importance {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 || d.Importance[0] < 0.5 || d.Importance[3] > 0.05 {
			t.Errorf("seed %d: shares %.3f: want op above half, seed_noise near 0, summing to 1", seed, d.Importance)
		}
		if d.R2 < 0.7 || d.Trials != 99 {
			t.Errorf("seed %d: CV R² %.2f over %d trials, want > 0.7 over 99", seed, d.R2, d.Trials)
		}
	}
}

func TestImportanceReproducible(t *testing.T) {
	run := func(seed int64) string {
		d, err := ParamImportance(synthInfo(), synthTrials(40, 1, 9), ImportanceOptions{Seed: seed, Folds: 4, Repeats: 2})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(d.Params, d.Importance, d.Std, d.R2)
	}
	if a, b := run(5), run(5); a != b {
		t.Errorf("same seed, different results:\n%s\n%s", a, b)
	}
}

// meanModel predicts the training mean: no parameter matters to it.
type meanModel struct {
	fits int
	mean float64
}

func (m *meanModel) Fit(x [][]float64, y []float64, categorical []bool) error {
	m.fits++
	m.mean = 0
	for _, v := range y {
		m.mean += v
	}
	m.mean /= float64(len(y))
	if len(categorical) != 4 || !categorical[0] || categorical[1] || categorical[2] || !categorical[3] {
		return fmt.Errorf("categorical flags %v", categorical)
	}
	return nil
}

func (m *meanModel) Predict([]float64) float64 { return m.mean }

func TestImportanceCustomModel(t *testing.T) {
	m := &meanModel{}
	d, err := ParamImportance(synthInfo(), synthTrials(30, 1, 1), ImportanceOptions{Model: m, Folds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m.fits != 3 {
		t.Errorf("%d fits, want one per fold (3)", m.fits)
	}
	for k, v := range d.Importance {
		if v != 0 || d.MSEIncrease[k] != 0 {
			t.Errorf("%s: share %v, increase %v; a model that ignores the parameters gives 0", d.Params[k], v, d.MSEIncrease[k])
		}
	}
	if d.R2 > 0 {
		t.Errorf("CV R² of the mean model %.3f, want <= 0", d.R2)
	}
}

func TestImportanceErrors(t *testing.T) {
	fixed := synthInfo()
	fixed.Params = fixed.Params[4:]
	short := synthTrials(3, 1, 1)
	cases := []struct {
		info   search.StudyInfo
		trials []search.Trial
		opts   ImportanceOptions
		want   string
	}{
		{fixed, synthTrials(10, 1, 1), ImportanceOptions{}, "no parameter takes more than one value"},
		{synthInfo(), short, ImportanceOptions{}, "3 complete trials, need at least 4"},
		{synthInfo(), synthTrials(10, 1, 1), ImportanceOptions{Metric: Metric{Objective: 1}}, "objective 1"},
	}
	for _, c := range cases {
		if _, err := ParamImportance(c.info, c.trials, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
}
