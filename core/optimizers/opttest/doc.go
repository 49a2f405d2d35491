// Package opttest holds what every optimizer's tests share: small serial and
// simulated-parallel ask/tell loops that need no search.Study, a separable
// test problem with a known optimum, and Conformance, the checks every
// registered optimizer must pass (points inside the space, asks reproducible
// from the seed and the history, seeds that matter, option validation).
package opttest
