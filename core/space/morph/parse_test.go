package morph

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// cnnSrc is the example of the README.
const cnnSrc = `# comments with '#'
SearchSpace(name="cnn", input=[1, 28, 28], layers=[
    Layer.conv2d(filters=[32, 64], kernel_size=[3, 5]), Layer.relu(),
    Layer.maxpool(pool_size=2), Layer.dense(units=[64, 128]), Layer.output(units=10)])
Search(optimizer="evolution", budget=200, seed=1, population_size=50)
Constraint(max_params=200000)
`

func paramNames(sp *space.Space) string {
	var out []string
	for _, p := range sp.Params {
		s := p.Name + ":" + p.Kind.String()
		if p.Kind == space.Categorical {
			s += fmt.Sprint(p.Choices)
		} else {
			s += fmt.Sprintf("[%v,%v]", p.Low, p.High)
			if p.Log {
				s += "log"
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestParseCNN(t *testing.T) {
	f, err := Parse("cnn.morph", []byte(cnnSrc))
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != "cnn.morph" || f.Source != cnnSrc {
		t.Error("Path or Source not kept")
	}
	sp := f.Space
	if sp.Name != "cnn" || sp.MaxParams != 200000 || sp.MaxFLOPs != 0 {
		t.Errorf("space %q max_params %d max_flops %d", sp.Name, sp.MaxParams, sp.MaxFLOPs)
	}
	want := "conv2d_1.filters:categorical[32 64] conv2d_1.kernel_size:categorical[3 5] dense_1.units:categorical[64 128]"
	if got := paramNames(sp); got != want {
		t.Errorf("params %s\nwant   %s", got, want)
	}
	s := f.Search
	wantOpts := search.Options{"population_size": 50, "sample_size": 5, "crossover": 0}
	if s.Optimizer != "evolution" || s.Budget != 200 || s.Seed != 1 || s.Parallel != 1 || s.Timeout != 0 ||
		fmt.Sprint(s.Directions) != "[maximize]" || fmt.Sprint(s.Options) != fmt.Sprint(wantOpts) {
		t.Errorf("search = %+v", s)
	}
	if f.Evaluate != nil {
		t.Errorf("evaluate = %+v, want nil", f.Evaluate)
	}
	a, err := sp.Decoder.Decode(space.Point{1, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range a.Nodes {
		names = append(names, n.Name+"="+n.Op)
	}
	wantArch := "input=input conv2d_1=conv2d relu_1=relu maxpool_1=maxpool dense_1/flatten=flatten dense_1=dense output_1=output"
	if got := strings.Join(names, " "); got != wantArch {
		t.Errorf("arch %s\nwant %s", got, wantArch)
	}
	if c := a.Nodes[1]; c.Attrs["filters"] != 64 || c.Attrs["kernel"] != 5 {
		t.Errorf("conv attrs %v", c.Attrs)
	}
	if !a.Input.Equal(graph.Shape{1, 28, 28}) {
		t.Errorf("input %v", a.Input)
	}
}

func TestParseNB201(t *testing.T) {
	src := `SearchSpace(name="nb201", cell=Cell.nb201())
Evaluate(benchmark="nb201", dataset="cifar100")
Search(optimizer="evolution", budget=100, seed=1, directions=["maximize"], parallel=2, timeout="10m")
`
	f, err := Parse("", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Space.Name != "nb201" || len(f.Space.Params) == 0 || f.Space.Decoder == nil {
		t.Fatalf("space %+v", f.Space)
	}
	if ev := *f.Evaluate; ev != (Evaluate{Kind: KindBenchmark, Benchmark: "nb201", Dataset: "cifar100"}) {
		t.Errorf("evaluate = %+v", ev)
	}
	if s := f.Search; s.Parallel != 2 || s.Timeout != 10*time.Minute || s.Budget != 100 {
		t.Errorf("search = %+v", s)
	}
	pt := make(space.Point, len(f.Space.Params))
	a, err := f.Space.Decode(pt)
	if err != nil {
		t.Fatal(err)
	}
	// The classifier head follows the dataset: 100 classes for cifar100.
	if out := a.Nodes[a.Output()]; out.Attr("units", 0) != 100 {
		t.Errorf("output node %+v, want 100 units", out)
	}
}

func TestParseCellAndParams(t *testing.T) {
	src := `SearchSpace(cell=Cell(nodes=3, ops=["skip_connect", "nor_conv_3x3"], classes=5))
Param.float("lr", 1e-4, 1e-1, log=true)
Param.int("batch_size", 16, 256, log=true)
Param.int(name="epochs", low=1, high=20)
Param.choice("optimizer", ["adam", "sgd", 0.5, true])
Search(directions=["minimize", "max"])
`
	f, err := Parse("dir/my-cells.morph", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	sp := f.Space
	if sp.Name != "my-cells" {
		t.Errorf("name %q, want the file's", sp.Name)
	}
	hyper := "lr:float[0.0001,0.1]log batch_size:int[16,256]log epochs:int[1,20] optimizer:categorical[adam sgd 0.5 true]"
	if got := paramNames(sp); !strings.HasSuffix(got, " "+hyper) || len(sp.Params) < 5 {
		t.Errorf("params %s\nwant the cell's, then %s", got, hyper)
	}
	// Hyper-parameters follow the architecture's and do not disturb decoding.
	pt := make(space.Point, len(sp.Params))
	for i, p := range sp.Params {
		pt[i] = p.Low
	}
	if _, err := sp.Decode(pt); err != nil {
		t.Fatal(err)
	}
	s := f.Search
	if s.Optimizer != "evolution" || s.Budget != 100 || fmt.Sprint(s.Directions) != "[minimize maximize]" || len(s.Options) != 3 {
		t.Errorf("search = %+v", s)
	}
}

func TestParseHyperParameterSpace(t *testing.T) {
	f, err := Parse("hpo.morph", []byte(`SearchSpace(name="hpo")
Param.float("x", -1, 1)
Search(optimizer="local", strategy="best", temperature=2, initial=3)`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Space.Decoder != nil || paramNames(f.Space) != "x:float[-1,1]" {
		t.Errorf("space %+v", f.Space)
	}
	if got := fmt.Sprint(f.Search.Options); got != "map[initial:3 strategy:1 temperature:2]" {
		t.Errorf("options %s", got)
	}
}

func TestParseLayerForms(t *testing.T) {
	src := `SearchSpace(input=[3, 32, 32], layers=[
    Layer.conv2d([16, 32], 3, stride=[1, 2], padding=["same", "valid"], activation="relu"),
    Layer.batchnorm(optional=true),
    Layer.residual(layers=[Layer.conv2d(filters=32), Layer.gelu()], optional=true),
    Layer.avgpool(2, stride=1),
    Layer.activation(function=["relu", "tanh"]),
    Layer.dropout(rate=[0, 0.25]),
    Layer.globalavgpool(),
    Layer.flatten(),
    Layer.dense(units=64, activation=["relu", "linear"]),
    Layer.sigmoid(), Layer.tanh(),
    Layer.output(10),   # trailing commas are fine:
])`
	f, err := Parse("forms.morph", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "conv2d_1.filters:categorical[16 32] conv2d_1.stride:categorical[1 2] conv2d_1.padding:categorical[same valid] " +
		"batchnorm_1.present:categorical[false true] residual_1.present:categorical[false true] activation_1.function:categorical[relu tanh] " +
		"dropout_1.rate:categorical[0 0.25] dense_1.activation:categorical[relu linear]"
	if got := paramNames(f.Space); got != want {
		t.Errorf("params %s\nwant   %s", got, want)
	}
	for _, pt := range []space.Point{{0, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}} {
		if _, err := f.Space.Decode(pt); err != nil {
			t.Errorf("Decode(%v): %v", pt, err)
		}
	}
}

func TestExamples(t *testing.T) {
	files, _ := filepath.Glob("../../../examples/*.morph")
	if len(files) < 2 {
		t.Fatalf("examples: %v", files)
	}
	for _, path := range files {
		if _, err := ParseFile(path); err != nil {
			t.Errorf("%v", err)
		}
	}
	if _, err := ParseFile("no/such/file.morph"); err == nil {
		t.Error("ParseFile of a missing file succeeded")
	}
}

func TestWarnings(t *testing.T) {
	// Every architecture of the README example has more than 400k
	// parameters: the file parses, with a warning.
	f, err := Parse("cnn.morph", []byte(cnnSrc))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Line != 6 || f.Warnings[0].Col != 1 ||
		!strings.HasPrefix(f.Warnings[0].Msg, "none of the 10 architectures probed meets max_params=200000 (the smallest has ") {
		t.Errorf("warnings = %v", f.Warnings)
	}
	f, err = Parse("cnn.morph", []byte(strings.Replace(cnnSrc, "200000", "2000000", 1)))
	if err != nil || len(f.Warnings) != 0 {
		t.Errorf("err %v, warnings %v", err, f.Warnings)
	}
}
