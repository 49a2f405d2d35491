"""Bad input and failing objectives give Python exceptions, never a crash."""

import threading
import _thread

import pytest

import morphml as mm
from conftest import bowl


def test_raising_objective_fails_the_trial_and_the_search_goes_on(hpo_space):
    study = mm.create_study(hpo_space, seed=1)

    def objective(trial):
        if trial.number % 3 == 1:
            raise ValueError(f"bad luck in trial {trial.number}")
        return -bowl(trial)

    with pytest.warns(mm.TrialFailedWarning, match="ValueError: bad luck in trial 1"):
        study.optimize(objective, n_trials=9)
    states = [t.state for t in study.trials]
    assert states == ["complete", "failed", "complete"] * 3
    failed = study.trials[1]
    assert failed.error.startswith("ValueError: bad luck in trial 1")
    assert "Traceback" in failed.error and "objective" in failed.error
    df = study.trials_dataframe()
    assert df.loc[1, "error"].startswith("ValueError")


def test_ten_failures_in_a_row_stop_the_search(hpo_space):
    study = mm.create_study(hpo_space, seed=1)

    def broken(trial):
        raise RuntimeError("dataset missing")

    with pytest.warns(mm.TrialFailedWarning):
        with pytest.raises(mm.MorphMLError, match="10 trials in a row failed.*dataset missing") as e:
            study.optimize(broken, n_trials=50)
    assert isinstance(e.value.__cause__, RuntimeError)
    assert len(study) == 10


def test_exception_types_outside_catch_propagate(hpo_space):
    study = mm.create_study(hpo_space, seed=1)

    def objective(trial):
        raise KeyError("x")

    with pytest.raises(KeyError):
        study.optimize(objective, n_trials=3, catch=(ValueError,))
    assert [t.state for t in study.trials] == ["failed"]
    assert "KeyError" in study.trials[0].error


@pytest.mark.parametrize("bad", [None, "high", [1.0, 2.0], object()])
def test_objective_returning_a_non_number(hpo_space, bad):
    study = mm.create_study(hpo_space, seed=1)
    with pytest.warns(mm.TrialFailedWarning):
        study.optimize(lambda t: bad, n_trials=2)
    assert [t.state for t in study.trials] == ["failed", "failed"]
    assert "objective returned" in study.trials[0].error


def test_engine_errors_are_morphml_errors(hpo_space):
    study = mm.create_study(hpo_space, seed=1)
    with pytest.raises(mm.MorphMLError, match="no such trial"):
        study.tell(12345, 1.0)
    t = study.ask()
    study.tell(t, 1.0)
    with pytest.raises(mm.MorphMLError, match="already finished"):
        t.report(1, 0.5)
    with pytest.raises(mm.MorphMLError, match="has no evaluator"):
        study.optimize(n_trials=1)
    with pytest.raises(mm.MorphMLError, match="needs"):
        study.optimize(mm.NB201("cifar10"), n_trials=1)  # not a cell space
    study.close()
    with pytest.raises(mm.MorphMLError, match="closed"):
        study.ask()
    with pytest.raises(mm.MorphMLError, match="closed"):
        len(study)


def test_malformed_morph_names_line_and_column():
    with pytest.raises(mm.MorphMLError) as e:
        mm.SearchSpace.from_morph('SearchSpace(name="x", input=[1, 8, 8], layers=[\n  Layer.conv2(filters=8),\n  Layer.output(units=10)])\n')
    msg = str(e.value)
    assert "<morph text>:2:" in msg and 'did you mean "conv2d"' in msg and "^" in msg


def test_impossible_architecture_is_rejected_before_any_trial():
    with pytest.raises(mm.MorphMLError, match="kernel"):
        mm.SearchSpace("x", input=[1, 8, 8], layers=[mm.Layer.conv2d(filters=4, kernel_size=9, padding="valid"),
                                                    mm.Layer.output(units=10)])


def test_missing_file_and_bad_values():
    with pytest.raises(mm.MorphMLError, match="cannot read"):
        mm.SearchSpace.from_morph("/nonexistent/space.morph")
    with pytest.raises(TypeError):
        mm.SearchSpace("x", params=[mm.Param.choice("c", [object()])])
    with pytest.raises(mm.MorphMLError, match="low"):
        mm.SearchSpace("x", params=[mm.Param.float("lr", 0, 1, log=True)])


def test_train_evaluator_wrong_dataset_path():
    space = mm.SearchSpace("t", input=[3], layers=[mm.Layer.output(units=2)])
    with pytest.raises(mm.MorphMLError, match="no_such.csv"):
        mm.create_study(space, evaluator=mm.Train("csv:/no_such.csv"))


def test_keyboard_interrupt_stops_cleanly_and_keeps_the_study(hpo_space):
    study = mm.create_study(hpo_space, seed=1)
    started = threading.Event()

    def slow(trial):
        if trial.number == 5:
            started.set()
            threading.Event().wait(10)  # interrupted here
        return -bowl(trial)

    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        study.optimize(slow, n_trials=100)
    timer.cancel()
    assert started.is_set()
    states = [t.state for t in study.trials]
    assert states == ["complete"] * 5 + ["failed"]
    assert study.trials[5].error == "interrupted"
    study.optimize(lambda t: -bowl(t), n_trials=3)  # the study goes on
    assert len(study) == 9


def test_keyboard_interrupt_stops_an_engine_search():
    space = mm.SearchSpace("digits", input=[1, 8, 8], layers=[
        mm.Layer.conv2d(filters=[8, 16], kernel_size=3, activation="relu"),
        mm.Layer.dense(units=[32, 64], activation="relu"), mm.Layer.output(units=10)])
    study = mm.create_study(space, seed=1, evaluator=mm.Train("digits", epochs=50))
    timer = threading.Timer(1.5, _thread.interrupt_main)
    timer.start()
    import time
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        study.optimize(n_trials=1000)
    stopped = time.monotonic() - t0
    assert stopped < 1.5 + 5, f"the search took {stopped:.1f} s to stop"
    assert len(study) < 1000
    # Finished trials are kept; the one the interruption cut short stays
    # "running" and is trained again by the next optimize() (as on resume).
    assert [t.state for t in study.trials].count("running") <= 1


def test_device_errors():
    space = mm.SearchSpace("t", input=[1, 8, 8], layers=[mm.Layer.dense(units=8), mm.Layer.output(units=10)])
    with pytest.raises(mm.MorphMLError, match='unknown device "tpu"'):
        mm.create_study(space, device="tpu")
    study = mm.create_study(space, device="gpu", evaluator=mm.Train("digits", epochs=1))
    with pytest.raises(mm.MorphMLError, match="no GPU engine"):
        study.optimize(n_trials=1)
    assert len(study) == 0
