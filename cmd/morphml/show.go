package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/sqlite"
)

func openDB(path string, mustExist bool) (*sqlite.Store, error) {
	if mustExist {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no study database at %s (run a search first, or pass --db)", path)
		}
	}
	return sqlite.Open(path)
}

func loadStudy(db, name string) (search.StudyInfo, []search.Trial, error) {
	st, err := openDB(db, true)
	if err != nil {
		return search.StudyInfo{}, nil, err
	}
	defer st.Close()
	info, err := st.LoadStudy(name)
	if err != nil {
		names := []string{}
		if all, lerr := st.ListStudies(); lerr == nil {
			for _, s := range all {
				names = append(names, s.Name)
			}
		}
		return info, nil, fmt.Errorf("%w (studies in %s: %s)", err, db, strings.Join(names, ", "))
	}
	trials, err := st.Trials(name)
	return info, trials, err
}

func newShowCmd() *cobra.Command {
	var db string
	var top int
	var fullArch bool
	cmd := &cobra.Command{
		Use:   "show STUDY",
		Short: "Show a study: its settings, its best trials and the best architecture",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			info, trials, err := loadStudy(db, args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			printStudyHeader(w, info, trials)
			printTrialsTable(w, info, trials, top)
			printBestArch(w, info, trials, fullArch)
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", defaultDB, "study database (SQLite file)")
	cmd.Flags().IntVar(&top, "top", 10, "how many of the best trials to list")
	cmd.Flags().BoolVar(&fullArch, "arch", false, "print the best architecture layer by layer")
	return cmd
}

func newListCmd() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the studies in a database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openDB(db, true)
			if err != nil {
				return err
			}
			defer st.Close()
			studies, err := st.ListStudies()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "STUDY\tOPTIMIZER\tTRIALS\tBEST\tCREATED")
			for _, s := range studies {
				trials, err := st.Trials(s.Name)
				if err != nil {
					return err
				}
				best := "-"
				if b, ok := bestOf(s, trials); ok {
					best = formatValues(b.Values)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", s.Name, s.Optimizer, len(trials), best, s.Created.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&db, "db", defaultDB, "study database (SQLite file)")
	return cmd
}

func bestOf(info search.StudyInfo, trials []search.Trial) (search.Trial, bool) {
	h := search.History{Directions: info.Directions, Done: trials}
	return h.Best()
}

func formatValues(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', 4, 64)
	}
	return strings.Join(parts, ", ")
}

func printStudyHeader(w io.Writer, info search.StudyInfo, trials []search.Trial) {
	count := map[search.State]int{}
	for _, t := range trials {
		count[t.State]++
	}
	dirs := make([]string, len(info.Directions))
	for i, d := range info.Directions {
		dirs[i] = d.String()
	}
	fmt.Fprintf(w, "Study %q: optimizer %s, seed %d, objectives %s\n", info.Name, info.Optimizer, info.Seed, strings.Join(dirs, ", "))
	fmt.Fprintf(w, "Trials: %d (%d complete, %d pruned, %d failed, %d running)\n\n", len(trials),
		count[search.Complete], count[search.Pruned], count[search.Failed], count[search.Running])
}

// printTrialsTable lists the best complete trials, best first.
func printTrialsTable(w io.Writer, info search.StudyInfo, trials []search.Trial, top int) {
	h := search.History{Directions: info.Directions}
	var done []search.Trial
	for _, t := range trials {
		if t.State == search.Complete {
			done = append(done, t)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return h.Score(done[i]) > h.Score(done[j]) })
	if len(done) > top {
		done = done[:top]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"RANK", "TRIAL"}
	for i := range info.Directions {
		header = append(header, fmt.Sprintf("VALUE%d", i))
	}
	for _, p := range info.Params {
		header = append(header, strings.ToUpper(p.Name))
	}
	header = append(header, "ARCH", "TIME")
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for rank, t := range done {
		row := []string{strconv.Itoa(rank + 1), strconv.Itoa(t.ID)}
		for i := range info.Directions {
			row = append(row, strconv.FormatFloat(t.Value(i), 'f', 4, 64))
		}
		for i, p := range info.Params {
			row = append(row, p.Format(t.Params[i]))
		}
		hash := t.ArchHash
		if len(hash) > 10 {
			hash = hash[:10]
		}
		row = append(row, hash, t.Duration().Round(time.Millisecond).String())
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
}

func printBestArch(w io.Writer, info search.StudyInfo, trials []search.Trial, full bool) {
	best, ok := bestOf(info, trials)
	if !ok {
		fmt.Fprintln(w, "\nNo complete trial yet.")
		return
	}
	fmt.Fprintf(w, "\nBest: trial %d, value %s\n", best.ID, formatValues(best.Values))
	if best.Arch == nil {
		return
	}
	cell := best.Arch.Labels["cell"]
	if s := best.Arch.Labels["nb201"]; s != "" {
		cell = s
	}
	if cell == "" || full {
		fmt.Fprintln(w, graph.Summary(best.Arch))
		return
	}
	// A cell network repeats its cell many times: show the cell and the totals.
	fmt.Fprintf(w, "Cell: %s\n", cell)
	if c, err := graph.Count(best.Arch); err == nil {
		fmt.Fprintf(w, "Network: %d nodes, %s parameters, %s FLOPs (layer by layer: morphml show --arch)\n",
			len(best.Arch.Nodes), humanize.Comma(c.Params), humanize.Comma(c.FLOPs))
	}
}
