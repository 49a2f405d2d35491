"""Objectives in Python threads (n_jobs) and direct use from several threads."""

import threading
import time

import morphml as mm
from conftest import bowl


def test_parallel_objectives(hpo_space):
    study = mm.create_study(hpo_space, optimizer="evolution", seed=2, direction="minimize")
    active, peak = [0], [0]
    lock = threading.Lock()

    def objective(trial):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        for step in range(3):
            trial.report(step, bowl(trial))
            time.sleep(0.002)
        with lock:
            active[0] -= 1
        return bowl(trial)

    study.optimize(objective, n_trials=60, n_jobs=4)
    trials = study.trials
    assert len(trials) == 60 and [t.number for t in trials] == list(range(60))
    assert all(t.state == "complete" and len(t.intermediate_values) == 3 for t in trials)
    assert peak[0] > 1, "the objectives never overlapped"


def test_ask_tell_from_many_threads(hpo_space):
    study = mm.create_study(hpo_space, optimizer="random", seed=1)
    errors = []

    def worker():
        try:
            for _ in range(500):
                t = study.ask()
                study.tell(t, -bowl(t))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(study) == 4000
    assert all(t.state == "complete" for t in study.trials)
