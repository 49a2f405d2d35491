package search_test

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// script asks the points it was given, in order.
type script []space.Point

func (s script) Ask(h *search.History) (space.Point, error) {
	if h.Next >= len(s) {
		return nil, errors.New("script: no more points")
	}
	return s[h.Next], nil
}
func (script) Tell(search.Trial) error { return nil }

// outcome is how a scripted trial ends.
type outcome struct {
	values []float64 // Complete with these values
	fail   string    // Failed with this error
	pruned bool
	open   bool // left running
}

// scriptedStudy runs one trial per outcome; trial i has x = i and the
// categorical choice i % 2.
func scriptedStudy(t *testing.T, name string, dirs []search.Direction, outcomes []outcome) *search.Study {
	t.Helper()
	sp := &space.Space{Name: "s", Params: []space.Param{
		space.NewInt("x", 0, 100, false),
		space.NewCategorical("act", "relu", "<b>&x|y*_</b>"),
	}}
	pts := make(script, len(outcomes))
	for i := range pts {
		pts[i] = space.Point{float64(i), float64(i % 2)}
	}
	st, err := search.NewStudy(search.StudyConfig{Name: name, Space: sp, Optimizer: pts, OptimizerName: "scripted",
		Seed: 3, Directions: dirs})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outcomes {
		tr, err := st.Ask()
		if err != nil || tr.ID != i {
			t.Fatalf("ask %d: %v, %v", i, tr.ID, err)
		}
		switch {
		case o.open:
			continue
		case o.pruned:
			_, err = st.TellPruned(i)
		case o.fail != "":
			_, err = st.Tell(i, nil, errors.New(o.fail))
		default:
			_, err = st.Tell(i, o.values, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func values(v ...float64) outcome { return outcome{values: v} }

var htmlRow = regexp.MustCompile(`<tr><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>`)

// htmlRanking returns the trial IDs of the HTML table's rows, checking the
// ranks count 1, 2, 3 ...
func htmlRanking(t *testing.T, h string) []int {
	t.Helper()
	var ids []int
	for i, m := range htmlRow.FindAllStringSubmatch(h, -1) {
		if m[1] != strconv.Itoa(i+1) {
			t.Errorf("row %d has rank %s", i, m[1])
		}
		id, _ := strconv.Atoi(m[2])
		ids = append(ids, id)
	}
	return ids
}

func TestStudyHTMLRanking(t *testing.T) {
	max1 := []search.Direction{search.Maximize}
	min1 := []search.Direction{search.Minimize}
	max2 := []search.Direction{search.Maximize, search.Minimize}
	many := make([]outcome, 15)
	for i := range many {
		many[i] = values(float64(i % 7))
	}
	cases := []struct {
		name     string
		dirs     []search.Direction
		outcomes []outcome
		want     []int
		caption  string
	}{
		{"maximize", max1, []outcome{values(1), values(3), {fail: "boom"}, values(2), {pruned: true}, {open: true}, values(3)},
			[]int{1, 6, 3, 0}, "7 trials (4 complete, 1 pruned, 1 failed, 1 running)"},
		{"minimize", min1, []outcome{values(1), values(3), values(-2), values(1)},
			[]int{2, 0, 3, 1}, "4 trials (4 complete, 0 pruned, 0 failed, 0 running)"},
		// (accuracy up, size down): trials 0, 1 and 3 are on the front, 2 and 4 are dominated.
		{"pareto", max2, []outcome{values(90, 5), values(95, 9), values(89, 6), values(80, 1), values(70, 2)},
			[]int{1, 0, 3, 2, 4}, "maximize, minimize"},
		{"top rows only", max1, many, []int{6, 13, 5, 12, 4, 11, 3, 10, 2, 9}, "15 complete"},
		{"no complete trial", max1, []outcome{{fail: "x"}}, nil, "1 failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := scriptedStudy(t, c.name, c.dirs, c.outcomes).HTML()
			if got := htmlRanking(t, h); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ranking %v, want %v\n%s", got, c.want, h)
			}
			if !strings.Contains(h, c.caption) {
				t.Errorf("caption lacks %q:\n%s", c.caption, h)
			}
			if len(c.want) == 0 && !strings.Contains(h, "no complete trial yet") {
				t.Errorf("empty table not said:\n%s", h)
			}
		})
	}
}

func TestStudyHTMLEscapes(t *testing.T) {
	h := scriptedStudy(t, `a "<study>" & co`, nil, []outcome{values(1), values(2)}).HTML()
	for _, want := range []string{
		`<caption>Study &#34;a \&#34;&lt;study&gt;\&#34; &amp; co&#34;: scripted, seed 3, maximize; 2 trials`,
		`<th style="text-align:right">rank</th><th style="text-align:right">trial</th><th style="text-align:right">value</th><th>x</th><th>act</th>`,
		`<td>&lt;b&gt;&amp;x|y*_&lt;/b&gt;</td>`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	if strings.Contains(h, "<b>") || strings.Contains(h, "<study>") {
		t.Errorf("unescaped text in the HTML:\n%s", h)
	}
	if !strings.HasPrefix(h, `<table class="morphml-study">`) || !strings.HasSuffix(h, "</table>\n") {
		t.Errorf("not one table:\n%s", h)
	}
}

func TestStudyMarkdown(t *testing.T) {
	st := scriptedStudy(t, "md|x", []search.Direction{search.Maximize, search.Minimize},
		[]outcome{values(90, 5), values(95, 9), {pruned: true}})
	want := "**Study \"md\\|x\": scripted, seed 3, maximize, minimize; 3 trials (2 complete, 1 pruned, 0 failed, 0 running)**\n" +
		"\n" +
		"| rank | trial | value\\_0 | value\\_1 | x | act |\n" +
		"|---:|---:|---:|---:|---|---|\n" +
		"| 1 | 1 | 95 | 9 | 1 | \\<b\\>&x\\|y\\*\\_\\</b\\> |\n" +
		"| 2 | 0 | 90 | 5 | 0 | relu |\n"
	if got := st.Markdown(); got != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, want)
	}
	empty := scriptedStudy(t, "e", nil, nil).Markdown()
	if !strings.HasSuffix(empty, "No complete trial yet.\n") {
		t.Errorf("empty study: %q", empty)
	}
}

func ExampleStudy_Markdown() {
	sp := &space.Space{Name: "s", Params: []space.Param{space.NewCategorical("act", "relu", "gelu")}}
	st, _ := search.NewStudy(search.StudyConfig{Name: "demo", Space: sp, OptimizerName: "scripted",
		Optimizer: script{{0}, {1}, {0}}})
	for _, v := range []float64{0.8, 0.9} {
		tr, _ := st.Ask()
		st.Tell(tr.ID, []float64{v}, nil)
	}
	st.Ask() // still running
	fmt.Print(st.Markdown())
	// Output:
	// **Study "demo": scripted, seed 0, maximize; 3 trials (2 complete, 0 pruned, 0 failed, 1 running)**
	//
	// | rank | trial | value | act |
	// |---:|---:|---:|---|
	// | 1 | 1 | 0.9 | gelu |
	// | 2 | 0 | 0.8 | relu |
}

func TestTrialHTML(t *testing.T) {
	tr := search.Trial{ID: 7, State: search.Complete, Values: []float64{0.5}, Params: space.Point{1, 2},
		ArchHash: "abc", Attrs: map[string]string{"test_acc": "<98>", "a": "1"}}
	h := tr.HTML()
	for _, want := range []string{"<caption>trial 7</caption>", "<td>complete</td>", "value 0", "<td>abc</td>", "&lt;98&gt;"} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q:\n%s", want, h)
		}
	}
	if strings.Index(h, ">a<") > strings.Index(h, ">test_acc<") {
		t.Error("attributes are not sorted")
	}
}
