"""Interrupt checks and timings of MorphML's Go kernel, through jupyter_client.

Run by TestKernelInterrupt (cmd/morphml/kernel_test.go) with few rounds, and
by scripts/kernel_bench (the benchmark) with MORPHML_BENCH_ROUNDS=500. Prints
one JSON line of measurements; exits 1 when a check fails.
"""
import json
import os
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

NAME = os.environ.get("MORPHML_KERNEL_NAME", "morphml-go")
ROUNDS = int(os.environ.get("MORPHML_BENCH_ROUNDS", "200"))
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def wait(kc, msg_id, timeout=60):
    """Wait for the execute_reply and the idle status of msg_id."""
    reply = None
    while reply is None:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            reply = m
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return reply, outputs
        outputs.append(m)


def run(kc, code, timeout=60):
    return wait(kc, kc.execute(code), timeout)


def result_text(outputs):
    for m in outputs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


def stream_text(outputs):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")


def interrupt_when(km, kc, code, text, timeout=120):
    """Run code, interrupt it once it printed text; return the time from
    the interrupt to the reply, and the reply."""
    msg_id = kc.execute(code)
    seen = ""
    deadline = time.time() + timeout
    while text not in seen and time.time() < deadline:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            seen += m["content"]["text"]
    t0 = time.perf_counter()
    km.interrupt_kernel()
    reply, _ = wait(kc, msg_id, timeout=10)
    return time.perf_counter() - t0, reply


def interrupt_after(km, kc, code, delay):
    msg_id = kc.execute(code)
    time.sleep(delay)
    t0 = time.perf_counter()
    km.interrupt_kernel()
    reply, outputs = wait(kc, msg_id, timeout=10)
    return time.perf_counter() - t0, reply, outputs


t0 = time.perf_counter()
km, kc = start_new_kernel(kernel_name=NAME, startup_timeout=60)
stats = {"kernel_start_s": round(time.perf_counter() - t0, 3)}
try:
    t = time.perf_counter()
    run(kc, "1+1")  # the first cell waits for the interpreter to be ready
    stats["first_cell_s"] = round(time.perf_counter() - t, 3)
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        reply, outputs = run(kc, "1+1")
        times.append(time.perf_counter() - t)
    check(result_text(outputs) == "2", "1+1 gives 2")
    stats["trivial_cell_ms_median"] = round(1000 * statistics.median(times), 2)
    stats["trivial_cell_ms_p90"] = round(1000 * sorted(times)[int(0.9 * len(times))], 2)

    setup = """
nb201, err := bench.LoadNB201()
if err != nil { panic(err) }
sp := space.NB201(10)
ev, err := nb201.Evaluator("cifar10")
if err != nil { panic(err) }
"""
    reply, _ = run(kc, setup)
    check(reply["content"]["status"] == "ok", "NB-201 setup cell: %s" % reply["content"])
    search100 = """
opt, _ := search.NewOptimizer("evolution", sp, 1, nil)
s100, _ := search.NewStudy(search.StudyConfig{Name: "bench", Space: sp, Optimizer: opt})
s100.Optimize(nb.Context(), search.EvaluatorObjective(ev), search.Budget{Trials: 100})
s100.Len()"""
    times = []
    for _ in range(5):
        t = time.perf_counter()
        reply, outputs = run(kc, search100)
        times.append(time.perf_counter() - t)
    check(result_text(outputs) == "100", "100-trial search: %s" % result_text(outputs))
    stats["nb201_100_trials_cell_ms_median"] = round(1000 * statistics.median(times), 1)

    # 1. an interpreted endless loop
    dt, reply, _ = interrupt_after(km, kc, "n := 0\nfor { n++ }", 0.5)
    stats["interrupt_loop_s"] = round(dt, 3)
    check(reply["content"]["status"] == "error" and dt < 2, "interrupt of a loop: %.2fs %s" % (dt, reply["content"]))

    # 2. a search that runs until interrupted keeps its finished trials
    long_search = """
optL, _ := search.NewOptimizer("evolution", sp, 2, nil)
long, _ := search.NewStudy(search.StudyConfig{Name: "long", Space: sp, Optimizer: optL})
slow := func(s *search.Study, t search.Trial) { time.Sleep(5 * time.Millisecond) }
long.Optimize(nb.Context(), search.EvaluatorObjective(ev), search.Budget{Trials: 1000000, Callbacks: []func(*search.Study, search.Trial){slow}})"""
    dt, reply, _ = interrupt_after(km, kc, long_search, 1.0)
    stats["interrupt_search_s"] = round(dt, 3)
    check(reply["content"]["status"] == "error" and dt < 2, "interrupt of a search: %.2fs %s" % (dt, reply["content"]))
    reply, outputs = run(kc, "long.Len()")
    kept = int(result_text(outputs) or "0")
    stats["interrupted_search_trials_kept"] = kept
    check(kept > 10, "trials kept after the interrupt: %d" % kept)

    # 3. compiled code that ignores the interrupt: the kernel answers anyway
    dt, reply, _ = interrupt_after(km, kc, "time.Sleep(4 * time.Second)", 0.3)
    stats["interrupt_sleep_s"] = round(dt, 3)
    check(reply["content"]["status"] == "error" and dt < 2, "interrupt of a sleep: %.2fs" % dt)
    reply, outputs = run(kc, "6*7")
    check(result_text(outputs) == "42", "the kernel lives on after interrupts")

    # 4. %%go cells: full Go compiled by the toolchain
    generic = """%%go
func Sum[T int | float64](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

for i := range 3 {
	fmt.Println(i, Sum([]float64{float64(i), 0.5}), min(i, 1))
}"""
    t = time.perf_counter()
    reply, outputs = run(kc, generic, timeout=300)
    stats["gocell_first_s"] = round(time.perf_counter() - t, 3)
    check(stream_text(outputs) == "0 0.5 0\n1 1.5 1\n2 2.5 1\n", "%%%%go generics and range over int: %r %s" % (stream_text(outputs), reply["content"]))
    times = []
    for i in range(max(3, min(ROUNDS // 20, 10))):
        t = time.perf_counter()
        reply, outputs = run(kc, "%%%%go\nfmt.Println(Sum([]int{1, 2, %d}))" % i)
        times.append(time.perf_counter() - t)
        check(stream_text(outputs) == "%d\n" % (3 + i), "%%%%go warm cell: %r" % stream_text(outputs))
    stats["gocell_warm_ms_median"] = round(1000 * statistics.median(times), 1)
    gosearch = """%%%%go
nb201, err := bench.LoadNB201()
if err != nil {
	panic(err)
}
ev, _ := nb201.Evaluator("cifar10")
sp := space.NB201(10)
opt, _ := search.NewOptimizer("evolution", sp, %d, nil)
st, _ := search.NewStudy(search.StudyConfig{Name: "b", Space: sp, Optimizer: opt})
st.Optimize(nb.Context(), search.EvaluatorObjective(ev), search.Budget{Trials: 100})
fmt.Println(st.Len())"""
    times = []
    for i in range(3):
        t = time.perf_counter()
        reply, outputs = run(kc, gosearch % (i + 1), timeout=300)
        times.append(time.perf_counter() - t)
        check(stream_text(outputs) == "100\n", "%%%%go 100-trial search: %r %s" % (stream_text(outputs), reply["content"]))
    stats["gocell_nb201_100_trials_ms_median"] = round(1000 * statistics.median(times), 1)

    reply, _ = run(kc, "%%go\nx := 1\nfmt.Println(x)\nfmt.Println(undefinedName)")
    c = reply["content"]
    want = "cell[%d]:4:13: undefined: undefinedName" % c["execution_count"]
    check(c["status"] == "error" and c["ename"] == "CompileError" and c["evalue"].startswith(want),
          "%%%%go compile error points at the line: %s" % c)
    reply, _ = run(kc, "y := 1\nz := undefinedName")
    c = reply["content"]
    check(c["status"] == "error" and c["evalue"].startswith("cell[%d]:2:6:" % c["execution_count"]),
          "interpreted compile error names the cell: %s" % c)

    dt, reply = interrupt_when(km, kc, "%%go\nfmt.Println(\"sleeping\")\ntime.Sleep(time.Minute)", "sleeping")
    stats["interrupt_gocell_s"] = round(dt, 3)
    check(reply["content"]["status"] == "error" and dt < 2, "interrupt of a sleeping %%%%go cell: %.2fs %s" % (dt, reply["content"]))
    reply, outputs = run(kc, "6*7")
    check(result_text(outputs) == "42", "the kernel lives on after a %%go interrupt")
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)

print(json.dumps(stats))
sys.exit(1 if failures else 0)
