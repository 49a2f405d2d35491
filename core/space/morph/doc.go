// Package morph reads .morph files: a small text language that writes a
// search space and the experiment around it (the optimizer and its budget,
// constraints, the evaluator, extra hyper-parameters).
//
//	# a convolutional network for 28x28 digits
//	SearchSpace(name="cnn", input=[1, 28, 28], layers=[
//	    Layer.conv2d(filters=[32, 64], kernel_size=[3, 5]), Layer.relu(),
//	    Layer.maxpool(pool_size=2), Layer.dense(units=[64, 128]), Layer.output(units=10)])
//	Search(optimizer="evolution", budget=200, seed=1, population_size=50)
//	Constraint(max_params=200000)
//
// A file is a list of statements, each a call with named (or leading
// positional) arguments whose values are numbers, strings, booleans, lists
// and calls. GRAMMAR.md in this directory has the grammar in EBNF and every
// statement, layer and argument with its type and default.
//
// Parse checks everything it can before a search starts: syntax, names
// (an unknown name suggests the nearest valid one), types and ranges,
// duplicated and missing statements, optimizer names and options (against
// the search registry, so the caller must import the optimizer packages it
// allows), and whether the architectures of the space can be built at all
// (it decodes extreme and sampled points and validates their graphs). Errors
// are *Error values with a path, line and column, collected in an ErrorList
// sorted by position; Parse never panics. File.Warnings holds what does not
// stop a search but probably spoils it, such as a Constraint that none of
// the probed architectures meets.
package morph
