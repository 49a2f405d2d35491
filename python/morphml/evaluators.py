"""The engine's own evaluators: they run compiled, in Go, without Python in
the loop. Pass one to ``create_study(..., evaluator=...)`` or to
``study.optimize(evaluator)``."""

from __future__ import annotations

from typing import Any, Optional

from .space import _call


class Evaluator:
    """An evaluator of the engine, written as a .morph Evaluate statement."""

    __slots__ = ("_args",)

    def __init__(self, **args: Any) -> None:
        self._args = args

    def to_morph(self) -> str:
        return _call("Evaluate", self._args)

    def __repr__(self) -> str:
        return self.to_morph()


class NB201(Evaluator):
    """Looks each cell up in NAS-Bench-201 (shipped with MorphML): the search
    sees the 12-epoch validation accuracy, each trial also records the
    200-epoch test accuracy. Datasets: cifar10, cifar100, imagenet16-120. The
    space must be ``SearchSpace.nb201()``."""

    __slots__ = ()

    def __init__(self, dataset: str = "cifar10") -> None:
        super().__init__(benchmark="nb201", dataset=dataset)


class Train(Evaluator):
    """Trains each architecture on the CPU and uses its best validation
    accuracy (%) as the objective; test accuracy, loss, training time,
    latency, parameters and FLOPs are stored with each trial. Datasets:
    "digits" (embedded), "mnist", "fashion_mnist" and "csv:PATH"."""

    __slots__ = ()

    def __init__(self, dataset: str = "digits", *, epochs: Optional[int] = None, steps: Optional[int] = None,
                 batch_size: Optional[int] = None, lr: Optional[float] = None, optimizer: Optional[str] = None,
                 momentum: Optional[float] = None, weight_decay: Optional[float] = None,
                 patience: Optional[int] = None, seed: Optional[int] = None, val_fraction: Optional[float] = None,
                 test_fraction: Optional[float] = None, max_train: Optional[int] = None) -> None:
        super().__init__(train=dataset, epochs=epochs, steps=steps, batch_size=batch_size, lr=lr, optimizer=optimizer,
                         momentum=momentum, weight_decay=weight_decay, patience=patience, seed=seed,
                         val_fraction=val_fraction, test_fraction=test_fraction, max_train=max_train)
