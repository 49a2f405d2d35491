"""Figures and architecture drawings that display themselves in Jupyter."""

from __future__ import annotations

import base64
import os
from typing import Callable, Dict


class Figure:
    """A figure drawn by the engine (gonum/plot). In Jupyter it shows as an
    image; ``png()``, ``svg()`` and ``save(path)`` give it to other tools."""

    def __init__(self, render: Callable[[str], str], title: str) -> None:
        self._render = render
        self._cache: Dict[str, str] = {}
        self.title = title

    def _get(self, fmt: str) -> str:
        if fmt not in self._cache:
            self._cache[fmt] = self._render(fmt)
        return self._cache[fmt]

    def png(self) -> bytes:
        """The figure as PNG bytes."""
        return base64.b64decode(self._get("png"))

    def svg(self) -> str:
        """The figure as SVG text."""
        return self._get("svg")

    def html(self) -> str:
        return self._get("html")

    def save(self, path: "str | os.PathLike[str]") -> None:
        """Writes the figure as .png or .svg, by the path's extension."""
        p = os.fspath(path)
        if p.lower().endswith(".svg"):
            with open(p, "w", encoding="utf-8") as f:
                f.write(self.svg())
        elif p.lower().endswith(".png"):
            with open(p, "wb") as f:
                f.write(self.png())
        else:
            raise ValueError(f"{p}: save a figure as .png or .svg")

    def _repr_png_(self) -> bytes:
        return self.png()

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<morphml.Figure {self.title}>"


class Architecture(Figure):
    """The network a trial evaluated: a diagram in Jupyter, ``summary()`` for
    its layers and shapes, ``dot()`` for Graphviz, ``to_json()`` for the IR."""

    def summary(self) -> str:
        return self._get("summary")

    def dot(self) -> str:
        return self._get("dot")

    def to_json(self) -> str:
        return self._get("json")

    def __str__(self) -> str:
        return self.summary()
