import math

import pytest

import morphml as mm
from conftest import bowl


def test_version():
    assert mm.__version__ == "0.1.0"
    from morphml._engine import core
    assert core().Version() == mm.__version__


def test_catalog_lists_every_optimizer_and_pruner():
    names = {o["name"] for o in mm.optimizers()}
    assert {"random", "evolution", "tpe", "gp", "cmaes", "nsga2", "bananas", "smac"} <= names
    assert {"median", "asha", "hyperband"} <= {p["name"] for p in mm.pruners()}
    evo = next(o for o in mm.optimizers() if o["name"] == "evolution")
    assert any(opt["name"] == "population_size" for opt in evo["options"])


def test_space_builder_renders_and_describes():
    space = mm.SearchSpace("cnn", input=[1, 8, 8], layers=[
        mm.Layer.conv2d(filters=[16, 32], kernel_size=[3, 5], activation="relu"),
        mm.Layer.maxpool(pool_size=2),
        mm.Layer.dense(units=[64, 128]),
        mm.Layer.output(units=10),
    ], params=[mm.Param.float("lr", 1e-4, 1e-1, log=True)])
    names = [p["name"] for p in space.params]
    assert names == ["conv2d_1.filters", "conv2d_1.kernel_size", "dense_1.units", "lr"]
    assert "Layer.conv2d(filters=[16, 32]" in space.to_morph()
    again = mm.SearchSpace.from_morph(space.to_morph())
    assert again.params == space.params


def test_minimize_finds_the_bowl(hpo_space):
    study = mm.create_study(hpo_space, optimizer="tpe", seed=3, direction="minimize")
    study.optimize(bowl, n_trials=80)
    assert len(study) == 80
    assert study.best_value < 0.5
    assert study.best_params["act"] == "gelu"
    assert all(t.state == "complete" for t in study.trials)


def test_same_seed_same_search(hpo_space):
    runs = []
    for _ in range(2):
        s = mm.create_study(hpo_space, optimizer="evolution", seed=11, direction="minimize")
        s.optimize(bowl, n_trials=30)
        runs.append([(t.params, t.value) for t in s.trials])
    assert runs[0] == runs[1]
    other = mm.create_study(hpo_space, optimizer="evolution", seed=12, direction="minimize")
    other.optimize(bowl, n_trials=30)
    assert [t.params for t in other.trials] != [p for p, _ in runs[0]]


def test_ask_tell_by_hand(hpo_space):
    study = mm.create_study(hpo_space, optimizer="random", seed=1)
    t = study.ask()
    assert set(t.params) == {"x", "n", "act"} and isinstance(t.params["n"], int)
    assert -5 <= t.params["x"] <= 5 and t.params["act"] in ("relu", "gelu", "tanh")
    study.tell(t, 0.5)
    with pytest.raises(mm.MorphMLError, match="already finished"):
        study.tell(t, 0.7)
    t2 = study.ask()
    study.tell(t2.number, state="pruned")
    t3 = study.ask()
    study.tell(t3, error=ValueError("diverged"))
    states = [tr.state for tr in study.trials]
    assert states == ["complete", "pruned", "failed"]
    assert "ValueError: diverged" in study.trials[2].error


def test_optimizer_options_and_typos(hpo_space):
    s = mm.create_study(hpo_space, optimizer="evolution", population_size=8, sample_size=3, seed=1)
    s.optimize(bowl, n_trials=12)
    with pytest.raises(mm.MorphMLError, match='did you mean "evolution"'):
        mm.create_study(hpo_space, optimizer="evolutoin")
    with pytest.raises(mm.MorphMLError, match="population_size"):
        mm.create_study(hpo_space, optimizer="evolution", population_sise=8)
    with pytest.raises(mm.MorphMLError, match='did you mean "median"'):
        mm.create_study(hpo_space, pruner="medain")


def test_multi_objective_pareto(hpo_space):
    study = mm.create_study(hpo_space, optimizer="nsga2", seed=2, directions=["minimize", "minimize"])
    study.optimize(lambda t: ((t.params["x"] - 1) ** 2, (t.params["x"] + 1) ** 2), n_trials=60)
    front = study.best_trials
    assert len(front) >= 3
    for a in front:  # no trial of the front dominates another
        for b in front:
            assert not (a.values[0] <= b.values[0] and a.values[1] <= b.values[1] and a.values != b.values)
    with pytest.raises(mm.MorphMLError, match="best_trials"):
        study.best_trial
    fig = study.plot_pareto()
    assert fig.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pruning_from_python(hpo_space):
    study = mm.create_study(hpo_space, optimizer="random", seed=5, pruner="median",
                            pruner_options={"min_trials": 3})

    def objective(trial):
        quality = -abs(trial.params["x"] - 2)
        for step in range(1, 11):
            trial.report(step, quality + step / 10)
            if trial.should_prune():
                raise mm.TrialPruned()
        return quality + 1

    study.optimize(objective, n_trials=40)
    states = [t.state for t in study.trials]
    assert states.count("pruned") > 5 and states.count("complete") > 3
    pruned = next(t for t in study.trials if t.state == "pruned")
    assert 1 <= len(pruned.intermediate_values) < 10
    assert study.trials_dataframe(curves=True).shape[0] == sum(len(t.intermediate_values) for t in study.trials)


def test_nb201_evaluator_runs_in_go():
    study = mm.create_study(mm.SearchSpace.nb201(), optimizer="evolution", seed=1, evaluator=mm.NB201("cifar10"))
    study.optimize(n_trials=150)
    assert len(study) == 150
    assert 80 < study.best_value < 100
    best = study.best_trial
    assert 80 < float(best.user_attrs["test_acc"]) < 100
    assert "nor_conv" in best.arch.summary() or "conv" in best.arch.summary()
    assert best.arch._repr_svg_().lstrip().startswith("<")


def test_train_evaluator_on_digits():
    space = mm.SearchSpace("tiny", input=[1, 8, 8], layers=[
        mm.Layer.conv2d(filters=[4, 8], kernel_size=3, activation="relu"),
        mm.Layer.maxpool(pool_size=2),
        mm.Layer.output(units=10),
    ])
    study = mm.create_study(space, optimizer="random", seed=1,
                            evaluator=mm.Train("digits", epochs=3, batch_size=32, lr=0.01))
    study.optimize(n_trials=2)
    df = study.trials_dataframe()
    assert list(df["state"]) == ["complete", "complete"]
    assert df["value_0"].max() > 50  # validation accuracy in %; chance is 10
    best = study.best_trial
    assert 0 < float(best.user_attrs["test_acc"]) <= 100 and int(best.user_attrs["params"]) > 0


def test_sqlite_storage_and_resume(tmp_path, hpo_space):
    db = str(tmp_path / "s.db")
    with mm.create_study(hpo_space, optimizer="tpe", seed=4, storage=db, study_name="keep") as s:
        s.optimize(bowl, n_trials=15)
        first = [t.params for t in s.trials]
    with pytest.raises(mm.MorphMLError, match="exists already"):
        mm.create_study(hpo_space, optimizer="tpe", seed=4, storage=db, study_name="keep")
    with mm.create_study(hpo_space, optimizer="tpe", seed=4, storage="sqlite:///" + db, study_name="keep",
                         load_if_exists=True) as s:
        assert [t.params for t in s.trials] == first
        s.optimize(bowl, n_trials=5)
        assert len(s) == 20


def test_callbacks_and_user_attrs(hpo_space):
    seen = []
    study = mm.create_study(hpo_space, seed=1)

    def objective(trial):
        trial.set_user_attr("note", f"n={trial.params['n']}")
        return -bowl(trial)

    study.optimize(objective, n_trials=5, callbacks=[lambda s, t: seen.append((t.number, t.state))])
    assert seen == [(i, "complete") for i in range(5)]
    assert study.trials[0].user_attrs["note"].startswith("n=")


def test_figures_display_in_jupyter(hpo_space):
    study = mm.create_study(hpo_space, seed=1)

    def objective(trial):
        trial.report(1, -bowl(trial) - 1)
        return -bowl(trial)

    study.optimize(objective, n_trials=20)
    for fig in (study.plot_history(), study.plot_importance(), study.plot_parallel(), study.plot_curves()):
        assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in fig._repr_svg_()
    assert "<table" in study._repr_html_()
    with pytest.raises(mm.MorphMLError, match="no architecture"):
        study.plot_arch()
    with pytest.raises(mm.MorphMLError, match="unknown figure kind"):
        study._plot("histogram")


def test_nan_value_is_recorded_without_value(hpo_space):
    study = mm.create_study(hpo_space, seed=1)
    study.optimize(lambda t: math.nan, n_trials=2)
    assert [t.values for t in study.trials] == [None, None] or all(v is None or v == [None] for v in [t.values for t in study.trials])


def test_load_study_reopens_with_its_settings(tmp_path, hpo_space):
    db = str(tmp_path / "s.db")
    with mm.create_study(hpo_space, optimizer="evolution", population_size=6, seed=9, storage=db,
                         study_name="first", direction="minimize") as s:
        s.optimize(bowl, n_trials=12)
    # The same study run in one go asks the same points as one continued after load_study.
    with mm.create_study(hpo_space, optimizer="evolution", population_size=6, seed=9,
                         direction="minimize") as whole:
        whole.optimize(bowl, n_trials=20)
        want = [t.params for t in whole.trials]
    with mm.load_study("first", storage=db) as s:
        assert s.optimizer == "evolution" and s.directions == ["minimize"] and len(s) == 12
        s.optimize(bowl, n_trials=8)
        assert [t.params for t in s.trials] == want
    with pytest.raises(mm.MorphMLError, match='did you mean "first"'):
        mm.load_study("frist", storage=db)


def test_progress_bar(hpo_space, capsys):
    study = mm.create_study(hpo_space, seed=1)
    study.optimize(lambda t: -bowl(t), n_trials=7, show_progress_bar=True)
    err = capsys.readouterr().err
    assert "7/7" in err and "best=" in err
    nb = mm.create_study(mm.SearchSpace.nb201(), seed=1)
    nb.optimize(mm.NB201("cifar10"), n_trials=30, show_progress_bar=True)
    assert "30/30" in capsys.readouterr().err
