package sqlite_test

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/sqlite"
	"github.com/morphml/morphml/core/store/storetest"
)

// The tests here run this test binary again as a helper process, selected
// by the environment variable helperEnv.
const helperEnv = "MORPHML_SQLITE_HELPER"

// helper starts the helper process role with args; its stdout is returned
// through the command.
func helper(t *testing.T, role string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(append([]string{role}, args...), "\x1f"))
	cmd.Stderr = os.Stderr
	return cmd
}

// TestHelperProcess is not a test: it is the body of the helper processes.
func TestHelperProcess(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if spec == "" {
		t.Skip("helper process only")
	}
	args := strings.Split(spec, "\x1f")
	if err := runHelper(args[0], args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func runHelper(role string, args []string) error {
	s, err := sqlite.Open(args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	switch role {
	case "finish": // args: path, writer, trials; prints the IDs it won
		w, _ := strconv.Atoi(args[1])
		n, _ := strconv.Atoi(args[2])
		for k := range n {
			id := (k + 13*w) % n
			tr := storetest.Finished(id)
			tr.Values = []float64{float64(w)}
			switch err := s.FinishTrial("procs", tr); {
			case err == nil:
				fmt.Println(id)
			case !errors.Is(err, search.ErrTrialFinished):
				return err
			}
		}
		return nil
	case "churn": // args: path; starts and finishes big trials until killed
		fmt.Println("ready")
		for id := 0; ; id++ {
			if err := s.StartTrial("churn", storetest.Running(id)); err != nil {
				return err
			}
			if err := s.FinishTrial("churn", bigFinish(id)); err != nil {
				return err
			}
			fmt.Println(id)
		}
	}
	return fmt.Errorf("unknown role %q", role)
}

// bigFinish is a finished trial whose recording takes many statements.
func bigFinish(id int) search.Trial {
	tr := storetest.Finished(id)
	tr.Values = make([]float64, 200)
	tr.Curve = make([]search.Step, 2000)
	for i := range tr.Curve {
		tr.Curve[i] = search.Step{Step: i, Value: float64(i)}
	}
	tr.Attrs = map[string]string{"a": "1", "b": "2", "c": "3"}
	return tr
}

// TestTwoProcesses races processes to finish the same trials: every trial
// has exactly one winner and no process sees "database is locked".
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := filepath.Join(t.TempDir(), "procs.db")
	const n, procs = 60, 3
	s := openAt(t, path)
	defer s.Close()
	must(t, s.CreateStudy(storetest.Study("procs")))
	for id := range n {
		must(t, s.StartTrial("procs", storetest.Running(id)))
	}
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*strings.Builder, procs)
	for w := range procs {
		cmds[w] = helper(t, "finish", path, strconv.Itoa(w), strconv.Itoa(n))
		outs[w] = new(strings.Builder)
		cmds[w].Stdout = outs[w]
		must(t, cmds[w].Start())
	}
	winner := map[int]int{}
	for w, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("process %d: %v", w, err)
		}
		sc := bufio.NewScanner(strings.NewReader(outs[w].String()))
		for sc.Scan() {
			id, err := strconv.Atoi(sc.Text())
			must(t, err)
			if prev, ok := winner[id]; ok {
				t.Errorf("trial %d finished by processes %d and %d", id, prev, w)
			}
			winner[id] = w
		}
	}
	got, err := s.Trials("procs")
	must(t, err)
	for _, tr := range got {
		w, ok := winner[tr.ID]
		if !ok {
			t.Errorf("trial %d has no winner", tr.ID)
			continue
		}
		if tr.State != search.Complete || len(tr.Values) != 1 || tr.Values[0] != float64(w) {
			t.Errorf("trial %d: %v %v, want the values of process %d", tr.ID, tr.State, tr.Values, w)
		}
	}
}

// TestKilledWriter kills a process with SIGKILL while it records trials:
// every trial is then either running with nothing of its result, or
// finished with all of it.
func TestKilledWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	path := filepath.Join(t.TempDir(), "churn.db")
	s := openAt(t, path)
	must(t, s.CreateStudy(storetest.Study("churn")))
	must(t, s.Close())
	// Kill after some finished trials and a delay that lands anywhere in
	// the next ones, not only between calls.
	for round, delay := range []time.Duration{0, 300, 700, 1100, 1900, 2900} {
		cmd := helper(t, "churn", path)
		stdout, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		lines := bufio.NewReader(stdout)
		for range 2 + round { // "ready", then finished trials
			if _, err := lines.ReadString('\n'); err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the helper stopped: %v", round, err)
			}
		}
		time.Sleep(delay * time.Microsecond)
		must(t, cmd.Process.Kill()) // SIGKILL on Unix
		_ = cmd.Wait()

		s := openAt(t, path)
		trials, err := s.Trials("churn")
		must(t, err)
		must(t, s.DeleteStudy("churn"))
		must(t, s.CreateStudy(storetest.Study("churn")))
		must(t, s.Close())
		if len(trials) <= round {
			t.Fatalf("round %d: %d trials recorded, want more than %d", round, len(trials), round)
		}
		for _, tr := range trials {
			var want search.Trial
			if tr.State == search.Running {
				want = storetest.Running(tr.ID)
			} else {
				want = bigFinish(tr.ID)
			}
			for _, d := range storetest.DiffTrial(want, tr) {
				t.Errorf("round %d, trial %d of %d: %s", round, tr.ID, len(trials), d)
			}
		}
		t.Logf("round %d: killed after %d trials", round, len(trials))
	}
}
