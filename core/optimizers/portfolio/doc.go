// Package portfolio is a bandit that allocates trials among member
// optimizers by their recent gains: each ask is delegated to one member,
// which sees the whole history (every member learns from every trial).
//
// The bandit is a sliding-window UCB1 (Auer et al. 2002; Garivier and
// Moulines 2011). A trial's reward is the fraction of the earlier finished
// trials whose score it beats (0 for failed and pruned trials), so that
// rewards stay comparable as the search improves. A member's score is the
// mean reward of its trials among the last Window*len(Members) trials plus
// Exploration * sqrt(2 ln N / n), with n its trials in the window and N all
// of them; a member without trials in the window is picked first.
//
// The allocation is a function of the history, derived again rather than
// recorded: the member of trial s is the bandit's choice given the trials
// with IDs up to s - lag, where lag is the number of trials in flight (the
// running trials plus the one asked). In a study with P trials in parallel,
// trial s is asked once the trials up to s - P have finished, so the
// derivation is exactly what happened; with serial trials it is the whole
// history before s. The decisions are cached as the history grows. Warm-start
// trials (negative IDs) inform the members but are nobody's.
//
// Members are registered optimizers by name with their options; member k
// gets the seed seed*1000003 + k. The package imports every model-based
// optimizer of MorphML so that they are registered.
//
// It registers itself as "portfolio" with the options window, exploration
// and use_NAME (evolution, local, tpe and bananas by default; smac, gp,
// cmaes, random):
//
//	opt, err := search.NewOptimizer("portfolio", sp, seed, search.Options{"use_smac": 1, "use_tpe": 0})
package portfolio
