// Package plots draws the standard figures of a search with gonum/plot:
// the optimization history, the Pareto front of two metrics with its
// hypervolume, parameter importance, learning curves, parallel coordinates,
// architecture diagrams and the comparison of optimizers across runs.
//
// Each figure comes in two parts: a function that extracts the data from a
// study's trials (HistoryData, ParetoFront, ParamImportance,
// LearningCurves, ParallelCoordinates, NB201ComparisonData), tested without
// pixels, and one that draws it (History, Pareto, Importance, Curves,
// Parallel, Arch, Cell, Comparison) and returns a *Figure. A Figure renders
// to PNG and SVG, has the HTML, PNG and SVG methods that notebook kernels
// use for rich display, and saves itself by file extension. Figures are 6 x
// 4 inches at 110 dpi by default; text is Liberation Sans.
//
// Figures take a study's trials as []search.Trial with its
// search.StudyInfo, as a Storage returns them:
//
//	info, _ := store.LoadStudy("demo")
//	trials, _ := store.Trials("demo")
//	fig, err := plots.History(info, trials)
//	if err == nil {
//		err = fig.Save("history.png")
//	}
//
// Every figure is a pure function of its input (the importance's model and
// permutations are seeded), so the same study always gives the same
// picture.
package plots
