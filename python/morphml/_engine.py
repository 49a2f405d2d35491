"""Access to the Go engine, the gopy extension ``morphml._core``.

Every engine call returns simple values; structured results come as JSON and
errors as text, turned here into :class:`MorphMLError`. The extension is
loaded on first use, so that ``import morphml`` stays fast.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from .errors import MorphMLError

_lock = threading.Lock()
_core: Any = None


def core() -> Any:
    """The engine's bindings module, loaded once."""
    global _core
    if _core is None:
        with _lock:
            if _core is None:
                try:
                    from ._core import bindings  # type: ignore[attr-defined]
                except ImportError as e:  # a source checkout without the built extension
                    raise MorphMLError(
                        "the MorphML engine (morphml._core) is not built: install the package with "
                        "`pip install .` (needs Go 1.26) or a wheel; " + str(e)
                    ) from e
                _drop_gc_hook(bindings)
                _core = bindings
    return _core


def call(name: str, *args: Any) -> Any:
    """Calls an engine function that answers JSON; ``{"error": ...}`` raises."""
    out = json.loads(getattr(core(), name)(*args))
    if type(out) is dict and "error" in out:
        raise MorphMLError(out["error"])
    return out


def check(text: str) -> None:
    """Raises the error text an engine call returned, if any."""
    if text:
        raise MorphMLError(text)


def _drop_gc_hook(bindings: Any) -> None:
    """Removes the hooks gopy installs to run a full Go collection after every
    Python collection. It exists to free Go objects behind gopy handles, and
    this facade hands out none (only numbers and strings); with a large study
    in the Go heap it made every Python gen-0 collection a full Go one (a
    million-trial study: seconds of pauses when pandas was imported)."""
    import gc

    for hook in list(gc.callbacks):  # bindings.py and go.py each add one
        if getattr(hook, "__module__", "").startswith(__package__ + "._core"):
            gc.callbacks.remove(hook)
