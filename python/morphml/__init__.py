"""MorphML: neural architecture search with a Go engine.

Define a search space, run a study with any Python objective or one of the
engine's evaluators, and get the trials as a pandas DataFrame::

    import morphml as mm

    space = mm.SearchSpace("hpo", params=[mm.Param.float("x", -5, 5)])
    study = mm.create_study(space, optimizer="tpe", seed=1, direction="minimize")
    study.optimize(lambda t: (t.params["x"] - 2) ** 2, n_trials=50)
    study.trials_dataframe()
"""

from __future__ import annotations

from .errors import MorphMLError, TrialFailedWarning, TrialPruned
from .evaluators import NB201, Evaluator, Train
from .figure import Architecture, Figure
from .space import Cell, Layer, Param, SearchSpace
from .study import FrozenTrial, Study, Trial, create_study, load_study, optimizers, pruners

__version__ = "0.1.0"

__all__ = [
    "Architecture", "Cell", "Evaluator", "Figure", "FrozenTrial", "Layer", "MorphMLError", "NB201", "Param",
    "SearchSpace", "Study", "Train", "Trial", "TrialFailedWarning", "TrialPruned", "create_study", "optimizers",
    "load_study", "pruners", "__version__",
]
