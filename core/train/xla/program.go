package xla

import (
	"container/list"
	"fmt"
	"sync"
	"time"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Inputs of the training program, before the variable-length state.
const (
	inX       = iota // the samples [N, input...] (N = B for TrainStep, the resident data otherwise)
	inY              // their labels [N] int32
	inIdx            // the batch: indices into X [B] int32
	inLR             // learning rate, scalar
	inMom            // momentum (SGD), scalar
	inWD             // weight decay, scalar
	inStep           // steps taken, scalar
	inRNG            // dropout generator state
	inLossSum        // the sum of the losses since the last TakeLoss, scalar
	inState          // then params, optimizer state, batch-norm statistics
)

// Outputs of the training program, before the state.
const (
	outLoss = iota
	outStep
	outRNG
	outLossSum
	outState
)

// program holds the two compiled executables of a model (training step,
// inference) on one backend. Programs are shared by every network of the
// same key and kept in the engine's cache; GoMLX compiles an executable on
// its first call for each input shape (XLA compilation: the first step's
// cost).
type program struct {
	m     *model
	be    *backend
	key   string
	train *Exec
	eval  *Exec
	refs  int           // networks using it
	elem  *list.Element // in the cache's LRU list; nil when evicted

	mu            sync.Mutex
	compileTrain  time.Duration // wall time of the first training call (compilation + one step)
	compileEval   time.Duration
	trainCompiled bool
	evalCompiled  bool
}

// nOpt is the number of optimizer state tensors: Adam keeps two moments
// per parameter, SGD one velocity.
func (m *model) nOpt() int {
	if m.adam {
		return 2 * len(m.params)
	}
	return len(m.params)
}

func newProgram(m *model, be *backend, key string) (*program, error) {
	wrapDotGeneralVJP()
	p := &program{m: m, be: be, key: key}
	var err error
	if p.train, err = NewExec(be.b, p.trainFn); err != nil {
		return nil, fmt.Errorf("xla: training program: %w", err)
	}
	if p.eval, err = NewExec(be.b, p.evalFn); err != nil {
		return nil, fmt.Errorf("xla: inference program: %w", err)
	}
	p.train.SetMaxCache(4)
	p.eval.SetMaxCache(4)
	return p, nil
}

// compileEvalAhead compiles the program's inference executable in the
// background, holding a reference to the program meanwhile: the first
// validation then finds it compiled.
func (e *Engine) compileEvalAhead(p *program) {
	e.mu.Lock()
	p.refs++
	e.mu.Unlock()
	go func() {
		defer e.release(p)
		defer func() { _ = recover() }() // the first Predict compiles and reports instead
		m := p.m
		args := []any{tensors.FromShape(f32(m.batched(m.a.Input)...))}
		for _, q := range m.params {
			args = append(args, tensors.FromShape(f32(q.shape...)))
		}
		for _, i := range m.bnNodes {
			c := m.shapes[i][0]
			args = append(args, tensors.FromShape(f32(c)), tensors.FromShape(f32(c)))
		}
		t0 := time.Now()
		err := p.eval.PreCompile(args...)
		for _, a := range args {
			_ = a.(*tensors.Tensor).FinalizeAll()
		}
		if err == nil {
			p.mu.Lock()
			if !p.evalCompiled {
				p.evalCompiled, p.compileEval = true, time.Since(t0)
			}
			p.mu.Unlock()
		}
	}()
}

// trainFn builds one optimisation step: gather the batch, forward,
// softmax cross-entropy, gradients, optimizer update.
func (p *program) trainFn(in []*Node) []*Node {
	m := p.m
	np, no := len(m.params), m.nOpt()
	g := in[inX].Graph()
	idx := Reshape(in[inIdx], m.batch, 1)
	x, y := Gather(in[inX], idx), Gather(in[inY], idx)
	params := in[inState : inState+np]
	opt := in[inState+np : inState+np+no]
	bn := append([]*Node(nil), in[inState+np+no:]...)
	ps := &pass{m: m, g: g, training: true, params: params, bn: bn, rng: in[inRNG]}
	logits, err := ps.forward(x)
	if err != nil {
		panic(err)
	}
	l := loss(logits, y)
	grads := Gradient(l, params...)
	ps.forgetDots()
	lr, mom, wd := in[inLR], in[inMom], in[inWD]
	step := OnePlus(in[inStep])
	out := []*Node{l, step, ps.rng, Add(in[inLossSum], l)}
	newP := make([]*Node, np)
	newO := make([]*Node, no)
	var inv1, inv2 *Node
	if m.adam {
		one := ScalarOne(g, dtypes.Float32)
		inv1 = Div(one, Sub(one, Pow(Scalar(g, dtypes.Float32, adamBeta1), step)))
		inv2 = Div(one, Sub(one, Pow(Scalar(g, dtypes.Float32, adamBeta2), step)))
	}
	// Scalars stay scalars: binary ops with a scalar side take a fast path
	// on the pure-Go backend (a broadcast to the weight's shape does not).
	negLR := Neg(lr)
	var stepA *Node
	if m.adam {
		stepA = Mul(negLR, inv1)
	}
	for k, w := range params {
		gr := Add(grads[k], Mul(w, wd)) // L2 penalty in the gradient, as gorgonia's solvers
		if m.adam {
			// gorgonia's AdamSolver: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g²;
			// w += -lr (m/c1) / (sqrt(v/c2) + eps).
			mo := Add(MulScalar(opt[2*k], adamBeta1), MulScalar(gr, 1-adamBeta1))
			ve := Add(MulScalar(opt[2*k+1], adamBeta2), MulScalar(Square(gr), 1-adamBeta2))
			upd := Div(Mul(mo, stepA), AddScalar(Sqrt(Mul(ve, inv2)), adamEps))
			newP[k], newO[2*k], newO[2*k+1] = Add(w, upd), mo, ve
		} else {
			// gorgonia's Momentum: c = mom c - lr g; w += c.
			c := Add(Mul(opt[k], mom), Mul(gr, negLR))
			newP[k], newO[k] = Add(w, c), c
		}
	}
	out = append(out, newP...)
	out = append(out, newO...)
	return append(out, ps.bn...)
}

// evalFn builds inference: the predicted class of each sample of x [B,
// input...] with the running batch-norm statistics and no dropout.
func (p *program) evalFn(in []*Node) []*Node {
	m := p.m
	np := len(m.params)
	ps := &pass{m: m, g: in[0].Graph(), params: in[1 : 1+np], bn: append([]*Node(nil), in[1+np:]...)}
	logits, err := ps.forward(in[0])
	ps.forgetDots()
	if err != nil {
		panic(err)
	}
	return []*Node{ArgMax(logits, 1)}
}

// Stats are what the engine measured about compilation, for logs and
// benchmarks.
type Stats struct {
	Key string // the cache key's readable part (architecture hash, batch, optimizer, lowering)
	// FirstStep is the wall time of the network's program's first
	// training call: compilation plus one step. Zero when the program
	// came compiled from the cache.
	FirstStep  time.Duration
	FirstEval  time.Duration
	CacheHit   bool // the program was in the cache when the network was built
	Lowering   Lowering
	Backend    string // "go" or "xla:<plugin>"
	ParamCount int    // trainable values
}
