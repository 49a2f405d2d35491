// Package forest is a small random forest regressor (Breiman, 2001) for the
// parameter importance figure of package plots: bagged CART regression trees
// with a random subset of the features tried at each split. Numeric features
// split on a threshold; categorical features (small non-negative integer
// codes) split into two groups of categories, found by ordering the
// categories by their mean target, which is optimal for squared error
// (Breiman et al., "Classification and Regression Trees", 1984, §9.4).
// Everything is reproducible from Config.Seed.
package forest
