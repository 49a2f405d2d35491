"""trials_dataframe(): columns and dtypes through the Arrow C Data Interface."""

import pandas as pd
import pyarrow as pa

import morphml as mm
from conftest import bowl


def test_dtypes(hpo_space):
    study = mm.create_study(hpo_space, seed=1, directions=["minimize", "maximize"])

    def objective(trial):
        if trial.number == 2:
            raise ValueError("boom")
        trial.report(1, 0.5)
        return bowl(trial), trial.params["n"]

    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mm.TrialFailedWarning)
        study.optimize(objective, n_trials=6)
    df = study.trials_dataframe()
    assert list(df.columns[:7]) == ["trial", "state", "x", "n", "act", "value_0", "value_1"]
    assert df["trial"].dtype == "int64"
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert list(df["state"].cat.categories) == ["running", "complete", "pruned", "failed"]
    assert isinstance(df["act"].dtype, pd.CategoricalDtype)
    assert list(df["act"].cat.categories) == ["relu", "gelu", "tanh"]
    assert df["x"].dtype == "float64" and df["n"].dtype == "int64"
    assert str(df["started"].dtype) == "datetime64[ns, UTC]"
    assert pd.isna(df.loc[2, "value_0"]) and df.loc[2, "state"] == "failed"
    assert df.loc[0, "value_1"] == study.trials[0].params["n"]
    curves = study.trials_dataframe(curves=True)
    assert list(curves.columns) == ["trial", "step", "value"] and len(curves) == 5


def test_arrow_batch_and_empty_study(hpo_space):
    study = mm.create_study(hpo_space, seed=1)
    batch = study.to_arrow()
    assert isinstance(batch, pa.RecordBatch) and batch.num_rows == 0
    assert batch.schema.field("x").type == pa.float64()
    study.optimize(lambda t: -bowl(t), n_trials=3)
    assert study.to_arrow().num_rows == 3
    from morphml._engine import core
    assert core().PendingExports() == 0
