import pytest

import morphml as mm


@pytest.fixture
def hpo_space():
    return mm.SearchSpace("hpo", params=[
        mm.Param.float("x", -5, 5),
        mm.Param.int("n", 1, 64, log=True),
        mm.Param.choice("act", ["relu", "gelu", "tanh"]),
    ])


def bowl(trial):
    """Minimal at x = 2, act = gelu; n barely matters."""
    p = trial.params
    return (p["x"] - 2) ** 2 + (0 if p["act"] == "gelu" else 1) + abs(p["n"] - 8) / 100
