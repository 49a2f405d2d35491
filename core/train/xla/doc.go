// Package xla is the GPU training engine: a train.Engine that translates
// the same graph.Arch IR as the gorgonia engine (core/train/gorgonia) into
// a GoMLX graph (github.com/gomlx/gomlx) and runs it on XLA through a PJRT
// plugin, the CUDA plugin of an installed jax-cuda*-pjrt pip package or
// $MORPHML_XLA_PLUGIN, or on the CPU: XLA's CPU plugin when
// $MORPHML_XLA_CPU_PLUGIN names one (it runs the same programs as a GPU,
// which is how the tests check them without a GPU), else GoMLX's pure-Go
// backend.
//
// Networks match the gorgonia engine's: every op of the IR, the same
// He-normal initialisation drawn from the same seed in the same order
// (InitialWeights), per-channel batch norm with running statistics,
// inverted dropout, softmax cross-entropy, and Adam or SGD with momentum
// written as gorgonia's solvers are (L2 weight decay added to the
// gradient). Dropout masks come from the device's generator, so they
// differ from gorgonia's.
//
// Compiled programs (one training step, one inference pass) are cached by
// architecture, input shape, batch size and optimizer: the learning rate,
// momentum, weight decay and seed are inputs, so a search that revisits an
// architecture with other hyperparameters does not compile again. The
// weights, the optimizer state and the batch-norm statistics stay on the
// device between steps; Network.LoadTrain puts a whole training set there
// too (one copy per engine, shared by its networks), after which a step
// sends only the batch's indices, and Network.QueueIndices does not even
// copy the loss back: losses add up on the device until TakeLoss. A new
// architecture's inference program compiles in the background while its
// first steps run. Networks of one engine may train at once from several
// goroutines.
//
// Convolutions and pooling have two lowerings: the backend's own ops
// (LowerNative, fast on XLA) and a Gather-based im2col (LowerGather) that
// needs only the ops the pure-Go backend has, whose gradients of
// convolution and pooling need Reverse, Pad and SelectAndScatter, which it
// lacks.
package xla
