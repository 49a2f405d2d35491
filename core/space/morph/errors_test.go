package morph

import (
	"errors"
	"strings"
	"testing"
)

// head is a valid SearchSpace line for inputs whose error is further on.
const head = "SearchSpace(input=[1, 28, 28], layers=[Layer.dense(units=8), Layer.output(units=10)])\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		pos       string // line:col of the first error
		msg       string // its message
	}{
		{"empty", "", "1:1", "no SearchSpace statement: a .morph file needs one, such as SearchSpace(input=[1, 28, 28], layers=[...])"},
		{"missing space", "# only a comment\nSearch(budget=5)\n", "1:1", "no SearchSpace statement: a .morph file needs one, such as SearchSpace(input=[1, 28, 28], layers=[...])"},
		{"unknown statement", "\n\nSerchSpace(input=[1, 28, 28], layers=[Layer.output(10)])", "3:1", `unknown statement "SerchSpace" — did you mean "SearchSpace"?`},
		{"layer as statement", "conv2d(filters=8)", "1:1", `unknown statement "conv2d"; layers go in SearchSpace(layers=[Layer.conv2d(...)])`},
		{"unknown layer", "SearchSpace(input=[1, 28, 28], layers=[\n  Layer.conv2(filters=8), Layer.output(10)])", "2:9", `unknown layer "conv2" — did you mean "conv2d"?`},
		{"unqualified layer", "SearchSpace(input=[1, 28, 28], layers=[conv2d(filters=8), Layer.output(10)])", "1:40", `expected Layer.<name>(...), got conv2d(...) — did you mean "Layer.conv2d"?`},
		{"unknown argument", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(10)], lyers=[])", "1:59", `unknown argument "lyers" for SearchSpace — did you mean "layers"?`},
		{"string for int", `SearchSpace(input=[1, 28, 28], layers=[Layer.conv2d(filters="32"), Layer.output(10)])`, "1:61", `filters must be an integer or a list of integers, got the string "32"`},
		{"list for scalar", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(units=[10, 20])])", "1:59", "units must be an integer, got a list"},
		{"zero filters", "SearchSpace(input=[1, 28, 28], layers=[Layer.conv2d(filters=[32, 0]), Layer.output(10)])", "1:66", "filters must be at least 1, got 0"},
		{"dropout rate", "SearchSpace(input=[1, 28, 28], layers=[Layer.dropout(rate=[0.1, 1.0]), Layer.output(10)])", "1:65", "rate must be in [0, 1), got 1.0"},
		{"kernel too big", "SearchSpace(input=[1, 28, 28], layers=[Layer.conv2d(filters=8, kernel_size=29), Layer.output(10)])", "1:76", "conv2d_1.kernel_size: kernel 29 is larger than its input 28x28"},
		{"pool too big for some choices", "SearchSpace(input=[1, 8, 8], layers=[\n\tLayer.maxpool(pool_size=[2, 4]),\n\tLayer.maxpool(4),\n\tLayer.output(10)])", "3:16",
			"maxpool_2.pool_size: pool 4 is larger than its input 2x2 (with maxpool_1.pool_size=4)"},
		{"kernel too big in a list", "SearchSpace(input=[1, 4, 4], layers=[Layer.conv2d(filters=8, kernel_size=[3, 5, 1]), Layer.output(10)])", "1:78",
			"conv2d_1.kernel_size: kernel 5 is larger than its input 4x4 (with conv2d_1.kernel_size=5)"},
		{"conv on vector", "SearchSpace(input=[10], layers=[Layer.conv2d(filters=8), Layer.output(10)])", "1:39", "conv2d_1: needs an image input [C, H, W], got [10]"},
		{"residual mismatch", `SearchSpace(input=[1, 28, 28], layers=[Layer.residual(layers=[Layer.conv2d(filters=8, kernel_size=5, padding="valid")]), Layer.output(10)])`,
			"1:46", "residual_1: cannot add the block's output [8 24 24] to its input [1 28 28]"},
		{"no output", "SearchSpace(input=[1, 28, 28], layers=[Layer.relu()])", "1:46", "relu_1: the last layer must be an output layer"},
		{"bad activation", `SearchSpace(input=[1, 28, 28], layers=[Layer.dense(units=8, activation="rellu"), Layer.output(10)])`, "1:72", `unknown activation "rellu" — did you mean "relu"?`},
		{"input rank", "SearchSpace(input=[1, 28], layers=[Layer.output(10)])", "1:19", "input must be [channels, height, width] for images or [features] for vectors, got 2 dimensions"},
		{"missing input", "SearchSpace(layers=[Layer.output(10)])", "1:1", "a layer space needs input=[channels, height, width] or input=[features]"},
		{"layers and cell", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(10)], cell=Cell.nb201())", "1:64", "SearchSpace takes layers or cell, not both"},
		{"unknown cell", "SearchSpace(cell=Cell.nb202())", "1:23", `unknown cell "nb202" — did you mean "nb201"?`},
		{"unknown cell op", `SearchSpace(cell=Cell(nodes=3, ops=["none", "bogus"]))`, "1:45",
			`unknown cell operation "bogus" (known: none, skip_connect, nor_conv_KxK, avg_pool_KxK, max_pool_KxK with K odd, e.g. none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)`},
		{"nb201 with input", "SearchSpace(input=[3, 8, 8], cell=Cell.nb201())", "1:19", "Cell.nb201 fixes its input to [3, 32, 32]; input applies to layer spaces and Cell(...)"},
		{"bad optional", "SearchSpace(input=[4], layers=[Layer.relu(optional=1), Layer.output(2)])", "1:52", "optional must be true or false, got the number 1"},
		{"layer from elsewhere", "SearchSpace(input=[4], layers=[Layr.relu(), Layer.output(2)])", "1:32", `expected Layer.<name>(...), got Layr.relu(...) — did you mean "Layer.relu"?`},
		{"budget zero", head + "Search(budget=0)", "2:15", "budget must be at least 1, got 0"},
		{"budget string", head + `Search(budget="many")`, "2:15", `budget must be an integer, got the string "many"`},
		{"seed not integer", head + "Search(seed=1.5)", "2:13", "seed must be an integer, got the non-integer 1.5"},
		{"unknown optimizer", head + `Search(optimizer="evolutoin")`, "2:18", `unknown optimizer "evolutoin" — did you mean "evolution"? (known: evolution, local, random)`},
		{"unknown option", head + `Search(optimizer="evolution", populaton_size=5)`, "2:31", `unknown argument "populaton_size" for Search — did you mean "population_size"?`},
		{"option of another optimizer", head + `Search(optimizer="random", population_size=5)`, "2:28", `unknown argument "population_size" for Search (optimizer "random" has no options)`},
		{"option out of range", head + `Search(optimizer="evolution", sample_size=0)`, "2:43", "sample_size must be in [1, 1000000], got 0"},
		{"bad categorical option", head + `Search(optimizer="evolution", crossover="yes")`, "2:41", `crossover must be one of "false", "true", got "yes"`},
		{"bad timeout", head + `Search(timeout="10 minutes")`, "2:16", `timeout must be a duration such as "10m" or "1h30m", got "10 minutes"`},
		{"bad direction", head + `Search(directions=["maximise"])`, "2:20", `unknown direction "maximise" — did you mean "maximize"?`},
		{"duplicate statement", head + "Search()\nSearch()", "3:1", "duplicate Search statement (the first is at 2:1)"},
		{"empty constraint", head + "Constraint()", "2:1", "Constraint needs max_params= or max_flops="},
		{"negative constraint", head + "Constraint(max_params=-5)", "2:23", "max_params must be at least 1, got -5"},
		{"unknown dataset", head + `Evaluate(benchmark="nb201", dataset="cifar")`, "2:37", `unknown dataset "cifar" — did you mean "cifar10"? (nb201 has cifar10, cifar100, imagenet16-120)`},
		{"benchmark needs nb201 space", head + `Evaluate(benchmark="nb201")`, "2:20", `benchmark "nb201" needs SearchSpace(cell=Cell.nb201())`},
		{"train input mismatch", head + `Evaluate(train="digits", epochs=5)`, "1:19", `the space's input is [1 28 28] but the samples of "digits" are [1 8 8]: use input=[1 8 8]`},
		{"log with zero low", head + `Param.float("lr", 0, 1, log=true)`, "2:19", "a log scale needs low > 0, got 0"},
		{"unknown param kind", head + `Param.flot("lr", 0, 1)`, "2:7", `unknown parameter kind "flot" — did you mean "float"?`},
		{"duplicate choice", head + `Param.choice("opt", ["adam", "adam"])`, "2:30", `choices lists "adam" twice`},
		{"param name clash", "SearchSpace(input=[4], layers=[Layer.dense(units=[8, 16]), Layer.output(2)])\n" + `Param.int("dense_1.units", 1, 4)`, "2:11", `parameter "dense_1.units" is defined twice (the space already has it)`},
		{"argument twice", "SearchSpace(input=[1, 28, 28], layers=[Layer.dense(units=8, units=9), Layer.output(10)])", "1:61", `argument "units" is given twice`},
		{"unquoted string", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(10)], name=cnn)", "1:64", `expected a value, got name "cnn" (write a string in quotes: "cnn")`},
		{"unterminated string", `SearchSpace(name="x, input=[1, 28, 28])`, "1:18", `unterminated string: missing closing "`},
		{"unterminated list", "SearchSpace(input=[1, 28, 28], layers=[\n  Layer.output(10)\n", "1:39", `unterminated list: missing "]"`},
		{"unterminated call", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(10)]\n", "1:12", `unterminated argument list of SearchSpace: missing ")"`},
		{"missing comma", "SearchSpace(input=[1, 28, 28 layers=[])", "1:30", `expected "," or "]" in the list opened at 1:19, got name "layers"`},
		{"missing close paren", "SearchSpace(name=\"x\", input=[1, 28, 28], layers=[Layer.output(10)]\nSearch()", "2:1", `expected "," or ")" after an argument of SearchSpace, got name "Search"`},
		{"double comma", "SearchSpace(input=[1, 28, 28], layers=[Layer.dense(units=8),, Layer.output(10)])", "1:61", `expected a value, got ","`},
		{"stray character", "SearchSpace(input=[1, 28, 28], layers=[Layer.output(10)]) @", "1:59", "unexpected character '@'"},
		{"bad number", "SearchSpace(input=[1, 28, 28], layers=[Layer.dense(units=3x), Layer.output(10)])", "1:58", `invalid number "3x"`},
		{"not a statement", "[1, 2]", "1:1", `expected a statement such as SearchSpace(...), got "["`},
		{"positional after named", `Search(budget=5, "evolution")`, "1:18", "a positional argument cannot follow a named one"},
		{"too deep", "SearchSpace(name=" + strings.Repeat("[", 70), "1:81", "lists and calls are nested too deeply (more than 64 levels)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("t.morph", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error (file %v); want %s %q", f, tt.pos, tt.msg)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error", err)
			}
			if got := e.Line; got == 0 {
				t.Fatal("no line")
			}
			if got := (Pos{Line: e.Line, Col: e.Col}).String(); got != tt.pos || e.Msg != tt.msg {
				t.Errorf("got  %s %q\nwant %s %q", got, e.Msg, tt.pos, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "t.morph:"+tt.pos+": "+tt.msg+"\n") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
	if len(tests) < 20 {
		t.Fatal("keep at least 20 cases")
	}
}

func TestErrorRendering(t *testing.T) {
	src := "SearchSpace(input=[1, 28, 28], layers=[\n\tLayer.conv2(filters=8),\n\tLayer.output(10)])\n"
	_, err := Parse("cnn.morph", []byte(src))
	want := "cnn.morph:2:8: unknown layer \"conv2\" — did you mean \"conv2d\"?\n" +
		"    \tLayer.conv2(filters=8),\n" +
		"    \t      ^"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	e := &Error{Line: 1, Col: 5, Msg: "m", src: "ab"}
	if got := e.Error(); got != "<input>:1:5: m\n    ab\n        ^" {
		t.Errorf("caret past the end: %q", got)
	}
	e = &Error{Line: 1, Col: 3, Msg: "m", src: "\x00\xffé@"}
	if got := e.Error(); got != "<input>:1:3: m\n    ??é@\n      ^" {
		t.Errorf("control characters: %q", got)
	}
	long := strings.Repeat("a", 300) + "@" + strings.Repeat("b", 300)
	e = &Error{Line: 1, Col: 301, Msg: "m", src: long}
	lines := strings.Split(e.Error(), "\n")
	if len(lines[1]) > 4+3+snippetWidth+3 || strings.Index(lines[1], "@") != strings.Index(lines[2], "^") {
		t.Errorf("long line:\n%s", e.Error())
	}
}

func TestErrorList(t *testing.T) {
	src := head + "Search(budget=0, seed=\"x\")\nConstraint(max_flops=0)\n"
	_, err := Parse("t.morph", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for i, want := range []string{"2:15", "2:23", "3:22"} {
		if got := (Pos{Line: list[i].Line, Col: list[i].Col}).String(); got != want {
			t.Errorf("error %d at %s, want %s", i, got, want)
		}
	}
	if !strings.HasSuffix(err.Error(), "(and 2 more errors)") {
		t.Errorf("Error() = %q", err)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"abc", "", 3}, {"conv2", "conv2d", 1}, {"kitten", "sitting", 3}, {"évolution", "evolution", 1},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.d {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
	names := []string{"conv2d", "dense", "dropout", "maxpool"}
	for word, want := range map[string]string{"Conv2D": "conv2d", "dens": "dense", "maxpooling": "maxpool", "x": "", "lstm": ""} {
		if got := suggest(word, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", word, got, want)
		}
	}
}
