// Package experiment runs what a .morph file describes: it builds the
// optimizer, the evaluator and the study (new or resumed from a store) and
// runs the search. The command line, the notebook kernel and the Python
// package all run experiments through it.
package experiment
