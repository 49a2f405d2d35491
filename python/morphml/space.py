"""Search spaces: built from Python objects or loaded from ``.morph`` text.

The builders use the vocabulary of the ``.morph`` language
(core/space/morph/GRAMMAR.md) and render to it, so the engine checks a
space built in Python exactly as it checks a file: before any trial, with a
message that names the layer and argument at fault. A list of values for a
layer argument is a choice for the search::

    space = SearchSpace("cnn", input=[1, 8, 8], layers=[
        Layer.conv2d(filters=[16, 32], kernel_size=[3, 5], activation="relu"),
        Layer.maxpool(pool_size=2),
        Layer.dense(units=[64, 128], activation="relu"),
        Layer.output(units=10),
    ])
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _engine

Value = Union[int, float, str, bool, Sequence[Any], "Layer", "Cell"]


def _render(v: Any) -> str:
    """Renders a Python value as .morph text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise ValueError(f"{v} cannot be written in a search space")
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    if isinstance(v, (Layer, Cell)):
        return v.to_morph()
    if isinstance(v, (list, tuple, range)):
        return "[" + ", ".join(_render(x) for x in v) + "]"
    if hasattr(v, "item"):  # a numpy scalar
        return _render(v.item())
    raise TypeError(f"a search space cannot hold {v!r} ({type(v).__name__})")


def _call(name: str, args: Mapping[str, Any]) -> str:
    parts = [f"{k}={_render(v)}" for k, v in args.items() if v is not None]
    return f"{name}({', '.join(parts)})"


class Layer:
    """A layer of a layer-sequence space; each argument given a list becomes
    a parameter of the search (named ``<layer>_<n>.<argument>``)."""

    __slots__ = ("kind", "args")

    def __init__(self, kind: str, **args: Any) -> None:
        self.kind = kind
        self.args = args

    def to_morph(self) -> str:
        return _call(f"Layer.{self.kind}", self.args)

    def __repr__(self) -> str:
        return self.to_morph()

    @staticmethod
    def conv2d(filters: Value, kernel_size: Value = 3, stride: Optional[Value] = None, padding: Optional[Value] = None,
               activation: Optional[Value] = None, optional: Optional[bool] = None) -> "Layer":
        """A 2-D convolution (padding "same" or "valid")."""
        return Layer("conv2d", filters=filters, kernel_size=kernel_size, stride=stride, padding=padding,
                     activation=activation, optional=optional)

    @staticmethod
    def maxpool(pool_size: Value = 2, stride: Optional[Value] = None, optional: Optional[bool] = None) -> "Layer":
        return Layer("maxpool", pool_size=pool_size, stride=stride, optional=optional)

    @staticmethod
    def avgpool(pool_size: Value = 2, stride: Optional[Value] = None, optional: Optional[bool] = None) -> "Layer":
        return Layer("avgpool", pool_size=pool_size, stride=stride, optional=optional)

    @staticmethod
    def globalavgpool(optional: Optional[bool] = None) -> "Layer":
        return Layer("globalavgpool", optional=optional)

    @staticmethod
    def flatten(optional: Optional[bool] = None) -> "Layer":
        return Layer("flatten", optional=optional)

    @staticmethod
    def dense(units: Value, activation: Optional[Value] = None, optional: Optional[bool] = None) -> "Layer":
        return Layer("dense", units=units, activation=activation, optional=optional)

    @staticmethod
    def dropout(rate: Value, optional: Optional[bool] = None) -> "Layer":
        return Layer("dropout", rate=rate, optional=optional)

    @staticmethod
    def batchnorm(optional: Optional[bool] = None) -> "Layer":
        return Layer("batchnorm", optional=optional)

    @staticmethod
    def relu(optional: Optional[bool] = None) -> "Layer":
        return Layer("relu", optional=optional)

    @staticmethod
    def gelu(optional: Optional[bool] = None) -> "Layer":
        return Layer("gelu", optional=optional)

    @staticmethod
    def tanh(optional: Optional[bool] = None) -> "Layer":
        return Layer("tanh", optional=optional)

    @staticmethod
    def sigmoid(optional: Optional[bool] = None) -> "Layer":
        return Layer("sigmoid", optional=optional)

    @staticmethod
    def activation(function: Value, optional: Optional[bool] = None) -> "Layer":
        """An activation chosen by name: relu, gelu, tanh, sigmoid (a list: a choice)."""
        return Layer("activation", function=function, optional=optional)

    @staticmethod
    def residual(layers: Sequence["Layer"], optional: Optional[bool] = None) -> "Layer":
        """A block whose output is added to its input (projected when the shape changes)."""
        return Layer("residual", layers=list(layers), optional=optional)

    @staticmethod
    def output(units: int) -> "Layer":
        """The classifier head: the last layer."""
        return Layer("output", units=units)


class Cell:
    """A cell space: ``Cell.nb201()`` is the NAS-Bench-201 space (15,625 cells)."""

    __slots__ = ("args", "kind")

    def __init__(self, nodes: Optional[int] = None, ops: Optional[Sequence[str]] = None, classes: Optional[int] = None,
                 stages: Optional[int] = None, cells: Optional[int] = None) -> None:
        self.kind = ""
        self.args = dict(nodes=nodes, ops=ops, classes=classes, stages=stages, cells=cells)

    @staticmethod
    def nb201(classes: Optional[int] = None) -> "Cell":
        c = Cell()
        c.kind, c.args = "nb201", dict(classes=classes)
        return c

    def to_morph(self) -> str:
        return _call("Cell.nb201" if self.kind == "nb201" else "Cell", self.args)

    def __repr__(self) -> str:
        return self.to_morph()


@dataclass(frozen=True)
class Param:
    """A hyper-parameter beside (or instead of) an architecture."""

    kind: str
    name: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def float(name: str, low: float, high: float, log: bool = False) -> "Param":
        return Param("float", name, dict(low=float(low), high=float(high), log=log))

    @staticmethod
    def int(name: str, low: int, high: int, log: bool = False) -> "Param":
        return Param("int", name, dict(low=low, high=high, log=log))

    @staticmethod
    def choice(name: str, choices: Sequence[Any]) -> "Param":
        return Param("choice", name, dict(choices=list(choices)))

    def to_morph(self) -> str:
        return _call(f"Param.{self.kind}", dict(name=self.name, **self.args))


class SearchSpace:
    """What a study searches: a layer sequence (``input`` and ``layers``), a
    cell (``cell``), hyper-parameters (``params``), or both, with optional
    bounds on the architectures' size."""

    def __init__(self, name: str, *, input: Optional[Sequence[int]] = None, layers: Optional[Iterable[Layer]] = None,
                 cell: Optional[Cell] = None, params: Optional[Iterable[Param]] = None,
                 max_params: Optional[int] = None, max_flops: Optional[int] = None) -> None:
        args: dict = dict(name=name, input=list(input) if input is not None else None,
                          layers=list(layers) if layers is not None else None, cell=cell)
        lines = [_call("SearchSpace", args)]
        lines += [p.to_morph() for p in params or ()]
        if max_params is not None or max_flops is not None:
            lines.append(_call("Constraint", dict(max_params=max_params, max_flops=max_flops)))
        self._source = "\n".join(lines) + "\n"
        self._path = f"<SearchSpace {name}>"
        self._describe()

    @classmethod
    def nb201(cls) -> "SearchSpace":
        """The NAS-Bench-201 cell space."""
        return cls("nb201", cell=Cell.nb201())

    @classmethod
    def from_morph(cls, source: Union[str, "os.PathLike[str]"]) -> "SearchSpace":
        """Loads a .morph file (a path) or .morph text. Its Search, Evaluate and
        Prune statements become the defaults of studies of this space."""
        self = cls.__new__(cls)
        text = os.fspath(source)
        if "(" not in text and (text.endswith(".morph") or os.path.exists(text)):
            try:
                with open(text, encoding="utf-8") as f:
                    self._source = f.read()
            except OSError as e:
                raise _engine.MorphMLError(f"cannot read the search space {text!r}: {e.strerror}") from e
            self._path = text
        else:
            self._source, self._path = text, "<morph text>"
        self._describe()
        return self

    def _describe(self) -> None:
        self._info = _engine.call("ParseMorph", self._source, self._path)

    @property
    def name(self) -> str:
        return self._info["space"]["name"]

    @property
    def params(self) -> list:
        """The parameters of the search: name, kind, choices or range."""
        return list(self._info["space"]["params"])

    @property
    def warnings(self) -> list:
        """Problems that do not stop a search but probably spoil it."""
        return list(self._info.get("warnings") or [])

    def to_morph(self) -> str:
        """The space as .morph text."""
        return self._source

    def __len__(self) -> int:
        return len(self._info["space"]["params"])

    def __repr__(self) -> str:
        return f"SearchSpace({self.name!r}, {len(self)} parameters)"
