// Package pruners stops unpromising trials early, from the intermediate
// values they report (search.Run.Report, train.Reporter). Each pruner is a
// search.Pruner: the study calls Prune after every report, with the trial's
// curve so far and the history of every other trial, and stops the trial
// when it returns true.
//
//   - Median: the median stopping rule (Golovin et al., "Google Vizier",
//     KDD 2017): stop a trial whose best value so far is worse than that of
//     more than half of the finished trials at the same step.
//   - SuccessiveHalving: rungs at MinResource·Eta^k; trials are grouped in
//     cohorts of consecutive IDs, and a trial stops at a rung once more of
//     its cohort are known to be better there than the cohort may keep
//     (Cohort/Eta^(k+1)): the decision of synchronous successive halving
//     (Jamieson and Talwalkar, AISTATS 2016), taken as soon as it is
//     certain, without waiting for the rest of the cohort.
//   - ASHA: asynchronous successive halving (Li et al., "A System for
//     Massively Parallel Hyperparameter Tuning", MLSys 2020): when a trial
//     reaches a rung it continues only if it is in the top 1/Eta of all the
//     trials that reached that rung so far, running ones included, so it
//     works with trials in parallel.
//   - Hyperband (Li et al., JMLR 2018): several brackets of ASHA whose first
//     rungs are MinResource·Eta^s, from aggressive to no pruning at all; a
//     trial's bracket is a hash of its ID, weighted by the number of trials
//     Hyperband gives each bracket.
//
// A step is a unit of resource (an epoch, say). A trial's value at a rung r
// is the first value it reported at a step >= r; a trial has reached the
// rung when it reported one. Pruners read objective 0's direction from the
// history.
//
// # Multi-objective studies
//
// A trial reports one number per step, the intermediate value of objective
// 0, so a pruner cannot see how the other objectives evolve. In studies
// whose other objectives are known before training ends (the parameters or
// FLOPs of the architecture, which the study records as trial attributes
// search.AttrArchParams and search.AttrArchFLOPs), set Pareto to the
// attribute of each further objective: trials are then compared by the
// vector (reported value, attributes...) with the study's directions,
// ordered by non-dominated rank and then crowding distance, as NSGA-II
// orders them. A trial then survives a rung if it is small enough, even if
// it is not among the most accurate. Without Pareto every pruner works on
// objective 0 alone, in single- and multi-objective studies alike; a trial
// or peer without one of the attributes falls back to that too.
//
// Decisions read the trials' curves as they are when a report arrives, so
// with trials running in parallel they depend on timing (as in any
// asynchronous scheme); serially they are a function of the history.
//
// New builds a pruner by name (median, sh, asha, hyperband) from numeric
// options, for the command line and the .morph language.
package pruners
