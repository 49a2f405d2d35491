package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/plots/internal/forest"
)

// Regressor is a model that the importance figure fits to the trials: rows
// of encoded parameters (categorical parameters as their choice index, log
// parameters as their logarithm) and the objective. Fit is called once per
// cross-validation fold and replaces the previous fit.
type Regressor interface {
	Fit(x [][]float64, y []float64, categorical []bool) error
	Predict(x []float64) float64
}

// ImportanceOptions set up ParamImportance. Zero fields take the defaults.
type ImportanceOptions struct {
	Metric  Metric    // the objective to explain (default objective 0)
	Folds   int       // cross-validation folds (default 5, at most one per trial)
	Repeats int       // permutations per parameter and fold (default 5)
	Seed    int64     // of the folds, the permutations and the default model
	Model   Regressor // nil: a random forest of 64 trees
}

// ImportanceData is the permutation importance of each parameter: how much
// worse a model predicts held-out trials when that parameter's column is
// shuffled (Breiman, 2001; the model is cross-validated, so a parameter it
// merely memorised does not count).
type ImportanceData struct {
	Metric Metric
	// Params are the parameter names, most important first; Importance is
	// each one's share of the summed increases of the mean squared error
	// (>= 0, summing to 1 unless no parameter matters), Std the standard
	// error of that share over the folds, MSEIncrease the raw mean
	// increase (negative: shuffling helped, the parameter does not matter).
	Params      []string
	Importance  []float64
	Std         []float64
	MSEIncrease []float64
	// R2 is the cross-validated R² of the model: how far to trust the
	// ranking (near 0 or below: the parameters explain little).
	R2     float64
	Trials int // complete trials used
}

// ParamImportance fits the model to the complete trials with cross
// validation and measures the permutation importance of every parameter
// that takes more than one value.
func ParamImportance(info search.StudyInfo, trials []search.Trial, opts ImportanceOptions) (ImportanceData, error) {
	var d ImportanceData
	m, err := opts.Metric.resolve(info)
	if err != nil {
		return d, fmt.Errorf("importance: %w", err)
	}
	d.Metric = m
	var cols []int
	var categorical []bool
	for j, p := range info.Params {
		if p.Cardinality() > 1 {
			cols = append(cols, j)
			categorical = append(categorical, p.Kind == space.Categorical && len(p.Choices) <= 64)
			d.Params = append(d.Params, p.Name)
		}
	}
	if len(cols) == 0 {
		return d, fmt.Errorf("importance of study %q: no parameter takes more than one value", info.Name)
	}
	var x [][]float64
	var y []float64
	for _, t := range byID(trials) {
		v, ok := m.Of(t)
		if !ok || len(t.Params) != len(info.Params) {
			continue
		}
		row := make([]float64, len(cols))
		for k, j := range cols {
			row[k] = t.Params[j]
			if p := info.Params[j]; p.Kind != space.Categorical && p.Log && row[k] > 0 {
				row[k] = math.Log(row[k])
			}
		}
		x, y = append(x, row), append(y, v)
	}
	d.Trials = len(x)
	if len(x) < 4 {
		return d, fmt.Errorf("importance of study %q: %d complete trials, need at least 4", info.Name, len(x))
	}
	folds := opts.Folds
	if folds <= 0 {
		folds = 5
	}
	folds = min(folds, len(x))
	repeats := max(opts.Repeats, 0)
	if repeats == 0 {
		repeats = 5
	}
	model := opts.Model
	if model == nil {
		model = forest.New(forest.Config{Trees: 64, Seed: uint64(opts.Seed)})
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x1a9))
	fold := make([]int, len(x))
	for i, k := range rng.Perm(len(x)) {
		fold[k] = i % folds
	}
	incs := make([][]float64, len(cols)) // per parameter, the mean increase in each fold
	var sse float64
	for f := range folds {
		var trX, teX [][]float64
		var trY, teY []float64
		for i := range x {
			if fold[i] == f {
				teX, teY = append(teX, x[i]), append(teY, y[i])
			} else {
				trX, trY = append(trX, x[i]), append(trY, y[i])
			}
		}
		if len(trX) == 0 || len(teX) == 0 {
			continue
		}
		if err := model.Fit(trX, trY, categorical); err != nil {
			return d, fmt.Errorf("importance: fit fold %d: %w", f, err)
		}
		base := mse(model, teX, teY)
		sse += base * float64(len(teX))
		shuffled := make([][]float64, len(teX))
		for i := range teX {
			shuffled[i] = slices.Clone(teX[i])
		}
		for k := range cols {
			inc := 0.0
			for range repeats {
				perm := rng.Perm(len(teX))
				for i := range teX {
					shuffled[i][k] = teX[perm[i]][k]
				}
				inc += mse(model, shuffled, teY) - base
			}
			incs[k] = append(incs[k], inc/float64(repeats))
			for i := range teX {
				shuffled[i][k] = teX[i][k]
			}
		}
	}
	mean, sst := 0.0, 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	for _, v := range y {
		sst += (v - mean) * (v - mean)
	}
	d.R2 = math.NaN()
	if sst > 0 {
		d.R2 = 1 - sse/sst
	}
	d.MSEIncrease, d.Std = make([]float64, len(cols)), make([]float64, len(cols))
	total := 0.0
	for k, in := range incs {
		d.MSEIncrease[k], d.Std[k] = meanStd(in)
		d.Std[k] /= math.Sqrt(float64(len(in)))
		total += max(d.MSEIncrease[k], 0)
	}
	d.Importance = make([]float64, len(cols))
	for k := range cols {
		if total > 0 {
			d.Importance[k] = max(d.MSEIncrease[k], 0) / total
			d.Std[k] /= total
		}
	}
	// most important first (ties: the space's order)
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(d.Importance[b], d.Importance[a]) })
	d.Params = permute(d.Params, order)
	d.Importance, d.Std, d.MSEIncrease = permute(d.Importance, order), permute(d.Std, order), permute(d.MSEIncrease, order)
	return d, nil
}

func permute[T any](xs []T, order []int) []T {
	out := make([]T, len(xs))
	for i, k := range order {
		out[i] = xs[k]
	}
	return out
}

func mse(m Regressor, x [][]float64, y []float64) float64 {
	s := 0.0
	for i := range x {
		e := m.Predict(x[i]) - y[i]
		s += e * e
	}
	return s / float64(len(x))
}

func meanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, v := range xs {
		mean += v
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, v := range xs {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}

// Importance draws ParamImportance as horizontal bars, most important on
// top, with ± one standard error as error bars and the model's
// cross-validated R² in the title.
func Importance(info search.StudyInfo, trials []search.Trial, opts ImportanceOptions) (*Figure, error) {
	d, err := ParamImportance(info, trials, opts)
	if err != nil {
		return nil, err
	}
	n := len(d.Params)
	vals := make(plotter.Values, n)
	names := make([]string, n)
	errs := make(plotter.XErrors, n)
	pts := make(plotter.XYs, n)
	for i := range n { // bottom to top: least important first
		k := n - 1 - i
		vals[i], names[i] = d.Importance[k], d.Params[k]
		errs[i].Low, errs[i].High = d.Std[k], d.Std[k]
		pts[i] = plotter.XY{X: d.Importance[k], Y: float64(i)}
	}
	p := newPlot(fmt.Sprintf("Parameter importance: %s\npermutation importance, random forest, %d trials, CV R² %.2f",
		info.Name, d.Trials, d.R2), "share of the importance ("+d.Metric.Name+")", "")
	if opts.Model != nil {
		p.Title.Text = fmt.Sprintf("Parameter importance: %s\npermutation importance, %d trials, CV R² %.2f", info.Name, d.Trials, d.R2)
	}
	bars, err := plotter.NewBarChart(vals, vg.Length(math.Min(22, 220/float64(n))))
	if err != nil {
		return nil, fmt.Errorf("importance: %w", err)
	}
	bars.Horizontal = true
	bars.Color = blue
	bars.LineStyle.Width = 0
	eb := &plotter.XErrorBars{XYs: pts, XErrors: errs, LineStyle: line(grey, 0.8), CapWidth: 4}
	p.Add(bars, eb)
	p.NominalY(names...)
	p.X.Min = 0
	p.Y.Tick.Label.Font.Size = 8
	f := newFigure(p)
	f.Height = max(DefaultHeight, vg.Length(n)*0.28*vg.Inch+1.2*vg.Inch)
	f.Alt = "Parameter importance of " + info.Name
	return f, nil
}
