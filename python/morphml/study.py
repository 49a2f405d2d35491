"""Studies: ask/tell, optimize with a Python objective or an engine
evaluator, results as pandas DataFrames and figures."""

from __future__ import annotations

import datetime as _dt
import json
import math
import threading
import time
import traceback
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _engine
from ._engine import call, check, core
from .errors import MorphMLError, TrialFailedWarning, TrialPruned
from .evaluators import Evaluator
from .figure import Architecture, Figure
from .space import SearchSpace

#: Trials failing in a row after which optimize() stops (as the engine does).
MAX_FAILURES_IN_A_ROW = 10


@dataclass(frozen=True)
class FrozenTrial:
    """A trial as recorded: its parameters, state and results."""

    number: int
    state: str  # "running", "complete", "pruned" or "failed"
    values: Optional[List[Optional[float]]]
    params: Dict[str, Any]
    user_attrs: Dict[str, str]
    intermediate_values: Dict[int, Optional[float]]
    datetime_start: Optional[_dt.datetime]
    datetime_complete: Optional[_dt.datetime]
    arch_hash: Optional[str] = None
    _study: Any = field(default=None, repr=False, compare=False)

    @property
    def value(self) -> Optional[float]:
        """The first objective's value (None unless complete)."""
        return self.values[0] if self.values else None

    @property
    def error(self) -> Optional[str]:
        """Why the trial failed: the exception's text and traceback."""
        return self.user_attrs.get("error")

    @property
    def duration(self) -> Optional[_dt.timedelta]:
        if self.datetime_start and self.datetime_complete:
            return self.datetime_complete - self.datetime_start
        return None

    @property
    def arch(self) -> Architecture:
        """The trial's architecture (a space with layers or a cell)."""
        return self._study._arch(self.number)

    @classmethod
    def _from(cls, d: Mapping[str, Any], study: "Study") -> "FrozenTrial":
        def when(t: float) -> Optional[_dt.datetime]:
            return _dt.datetime.fromtimestamp(t, _dt.timezone.utc) if t else None

        return cls(number=d["id"], state=d["state"], values=d["values"] or None, params=d["params"],
                   user_attrs=d["attrs"] or {}, intermediate_values={int(s): v for s, v in d["curve"]},
                   datetime_start=when(d["started"]), datetime_complete=when(d["finished"]),
                   arch_hash=d.get("arch_hash"), _study=study)


class Trial:
    """A trial being evaluated, handed to the objective: read ``params``,
    ``report(step, value)`` intermediate results and stop when
    ``should_prune()`` says so (``raise morphml.TrialPruned()``)."""

    __slots__ = ("_study", "number", "params", "_prune", "_done")

    def __init__(self, study: "Study", number: int, params: Dict[str, Any]) -> None:
        self._study = study
        self.number = number
        self.params = params
        self._prune = False
        self._done = False

    def report(self, step: int, value: float) -> None:
        """Records an intermediate value (say, the validation accuracy after
        epoch ``step``); the study's pruner decides on it."""
        v = float(value)
        out = core().Report(self._study._handle, self.number, int(step), v)
        if out == "prune":
            self._prune = True
        else:
            check(out)

    def should_prune(self) -> bool:
        """Whether the pruner wants this trial stopped, after the last report."""
        return self._prune

    def set_user_attr(self, key: str, value: Any) -> None:
        """Stores a fact about the trial with it (as text)."""
        check(core().SetAttr(self._study._handle, self.number, str(key), str(value)))

    @property
    def arch(self) -> Architecture:
        """The architecture this trial evaluates."""
        return self._study._arch(self.number)

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def __repr__(self) -> str:
        return f"Trial(number={self.number}, params={self.params})"


def _values(v: Any, n: int) -> Tuple[Optional[str], Optional[float], Optional[str]]:
    """Checks an objective's return: (values JSON, single value, error)."""
    if isinstance(v, (list, tuple)):
        vals = v
    elif hasattr(v, "tolist") and not isinstance(v, (int, float)):  # numpy arrays and scalars
        vals = v.tolist()
        if not isinstance(vals, list):
            vals = [vals]
    else:
        vals = [v]
    if len(vals) != n:
        return None, None, f"the objective returned {len(vals)} values for {n} objectives: {v!r}"
    out = []
    for x in vals:
        try:
            f = float(x)
        except (TypeError, ValueError):
            return None, None, f"the objective returned {x!r} ({type(x).__name__}), not a number"
        out.append(None if math.isnan(f) else f)
    if n == 1 and out[0] is not None:
        return None, out[0], None
    return json.dumps(out), None, None


class Study:
    """A search: its trials and the optimizer that proposes them. Make one
    with :func:`create_study`."""

    def __init__(self, handle: int, info: Mapping[str, Any]) -> None:
        self._handle = handle
        self._info = dict(info)
        self._n_obj = len(info["directions"])
        self._closed = False

    # --- identity ---------------------------------------------------------
    @property
    def study_name(self) -> str:
        return self._info["name"]

    @property
    def directions(self) -> List[str]:
        return list(self._info["directions"])

    @property
    def optimizer(self) -> str:
        return self._info["optimizer"]

    def __len__(self) -> int:
        n = core().Len(self._handle)
        if n < 0:
            raise MorphMLError(f"study {self.study_name!r} is closed")
        return n

    # --- ask and tell -----------------------------------------------------
    def ask(self) -> Trial:
        """Proposes the next trial. A point that breaks the space's
        constraints is recorded as failed and skipped: ask() asks again."""
        for _ in range(1000):
            d = call("Ask", self._handle)
            if d["state"] == "running":
                return Trial(self, d["id"], d["params"])
        raise MorphMLError(f"study {self.study_name!r}: 1000 proposed points in a row broke the constraints")

    def tell(self, trial: Union[Trial, int], values: Any = None, *, state: Optional[str] = None,
             error: Optional[BaseException] = None) -> None:
        """Finishes a trial: with its objective value(s), or
        ``state="pruned"``, or ``state="failed"`` (``error`` says why)."""
        number = trial.number if isinstance(trial, Trial) else int(trial)
        b = core()
        if state == "pruned":
            check(b.TellPruned(self._handle, number))
        elif state == "failed" or error is not None:
            check(b.TellFailed(self._handle, number, _describe(error) if error is not None else "failed"))
        elif state not in (None, "complete"):
            raise ValueError(f"state {state!r}: want complete, pruned or failed")
        else:
            js, single, problem = _values(values, self._n_obj)
            if problem:
                check(b.TellFailed(self._handle, number, problem))
                raise MorphMLError(f"trial {number}: {problem}")
            check(b.Tell1(self._handle, number, single) if js is None else b.Tell(self._handle, number, js))
        if isinstance(trial, Trial):
            trial._done = True

    # --- optimize ---------------------------------------------------------
    def optimize(self, objective: Union[Callable[[Trial], Any], Evaluator, None] = None, n_trials: Optional[int] = None,
                 timeout: Optional[float] = None, n_jobs: int = 1,
                 catch: Union[type, Tuple[type, ...]] = (Exception,),
                 callbacks: Optional[Sequence[Callable[["Study", FrozenTrial], None]]] = None,
                 show_progress_bar: Optional[bool] = None) -> None:
        """Runs trials until ``n_trials`` more have finished or ``timeout``
        seconds have passed.

        ``objective`` is a Python function of a :class:`Trial` returning the
        value (a tuple for several objectives), or an engine evaluator
        (``morphml.NB201(...)``, ``morphml.Train(...)``), or None for the
        evaluator the study was made with. An exception of a type in ``catch``
        fails that trial (warned with :class:`TrialFailedWarning`, its text kept
        in ``trial.error``) and the search goes on; after 10 failures in a row
        it stops with :class:`MorphMLError`. Ctrl-C stops the search: running
        trials are recorded as failed ("interrupted"), finished ones are kept,
        and KeyboardInterrupt is raised again.
        """
        if n_trials is None and timeout is None:
            n_trials = int(self._info.get("search", {}).get("budget") or 100)
        if n_trials is not None and n_trials < 0:
            raise ValueError("n_trials must be >= 0")
        show = _want_progress(show_progress_bar)
        if objective is None or isinstance(objective, Evaluator):
            if isinstance(objective, Evaluator):
                check(core().SetEvaluator(self._handle, objective.to_morph()))
            elif not self._info.get("evaluate") and not getattr(self, "_evaluator_set", False):
                raise MorphMLError(f"study {self.study_name!r} has no evaluator: pass an objective function "
                                   "or an engine evaluator (morphml.NB201(...), morphml.Train(...))")
            self._evaluator_set = True
            self._optimize_engine(n_trials, timeout, n_jobs, callbacks, show)
            return
        if not callable(objective):
            raise TypeError(f"objective must be callable, not {type(objective).__name__}")
        self._optimize_python(objective, n_trials, timeout, max(1, int(n_jobs)), catch, callbacks, show)

    def _optimize_python(self, func: Callable[[Trial], Any], n_trials: Optional[int], timeout: Optional[float],
                         n_jobs: int, catch: Any, callbacks: Any, show: bool) -> None:
        deadline = time.monotonic() + timeout if timeout is not None else math.inf
        lock = threading.Lock()
        st: Dict[str, Any] = {"asked": 0, "fails": 0, "stop": None, "last_error": None}
        bar = _progress(show, n_trials, self)

        def one() -> bool:
            with lock:
                if st["stop"] is not None or (n_trials is not None and st["asked"] >= n_trials) \
                        or time.monotonic() >= deadline:
                    return False
                st["asked"] += 1
            trial = self.ask()
            try:
                v = func(trial)
            except TrialPruned:
                self.tell(trial, state="pruned")
                outcome = "pruned"
            except catch as e:  # the trial fails, the search goes on
                self.tell(trial, error=e)
                warnings.warn(f"trial {trial.number} failed: {type(e).__name__}: {e}", TrialFailedWarning, stacklevel=4)
                outcome = "failed"
                with lock:
                    st["last_error"] = e
            except BaseException as e:  # KeyboardInterrupt, SystemExit, uncaught types
                if not trial._done:
                    what = "interrupted" if isinstance(e, KeyboardInterrupt) else _describe(e)
                    core().TellFailed(self._handle, trial.number, what)
                raise
            else:
                if trial._done:  # the objective told the trial itself
                    outcome = "complete"
                else:
                    js, single, problem = _values(v, self._n_obj)
                    if problem:
                        check(core().TellFailed(self._handle, trial.number, problem))
                        warnings.warn(f"trial {trial.number} failed: {problem}", TrialFailedWarning, stacklevel=4)
                        outcome = "failed"
                        with lock:
                            st["last_error"] = MorphMLError(problem)
                    else:
                        check(core().Tell1(self._handle, trial.number, single) if js is None
                              else core().Tell(self._handle, trial.number, js))
                        outcome = "complete"
            with lock:
                st["fails"] = st["fails"] + 1 if outcome == "failed" else 0
                if st["fails"] >= MAX_FAILURES_IN_A_ROW and st["stop"] is None:
                    st["stop"] = MorphMLError(
                        f"study {self.study_name!r}: {st['fails']} trials in a row failed; the last error: "
                        f"{type(st['last_error']).__name__}: {st['last_error']}")
            if callbacks or bar is not None:
                ft = self._trial(trial.number)
                for cb in callbacks or ():
                    cb(self, ft)
                if bar is not None:
                    _advance(bar, self)
            return True

        try:
            if n_jobs == 1:
                while one():
                    pass
            else:
                with ThreadPoolExecutor(max_workers=n_jobs, thread_name_prefix="morphml-objective") as pool:
                    def loop() -> None:
                        while one():
                            pass

                    futures = [pool.submit(loop) for _ in range(n_jobs)]
                    try:
                        for f in futures:
                            while True:
                                try:
                                    f.result(timeout=0.1)
                                    break
                                except TimeoutError:
                                    continue
                    except BaseException as e:
                        with lock:
                            if st["stop"] is None:
                                st["stop"] = e
                        raise
        finally:
            if bar is not None:
                bar.close()
        if isinstance(st["stop"], MorphMLError):
            raise st["stop"] from st["last_error"]

    def _optimize_engine(self, n_trials: Optional[int], timeout: Optional[float], n_jobs: int, callbacks: Any,
                         show: bool) -> None:
        b = core()
        first = len(self)
        check(b.StartOptimize(self._handle, int(n_trials or 0), int(n_jobs if n_jobs and n_jobs > 1 else 0),
                              float(timeout or 0)))
        bar = _progress(show, n_trials, self)
        seen = first
        try:
            while True:
                d = call("Poll", self._handle, 100)
                if bar is not None:
                    bar.n = d["finished"]
                    if d["best"] is not None:
                        bar.set_postfix(best=f"{d['best']:.4g}", refresh=False)
                    bar.refresh()
                if callbacks:
                    seen = self._callbacks(callbacks, seen)
                if not d["running"]:
                    break
        except BaseException:
            b.Cancel(self._handle)
            raise
        finally:
            if bar is not None:
                bar.close()
        if callbacks:
            self._callbacks(callbacks, seen)
        if d["run_error"]:
            raise MorphMLError(d["run_error"])

    def _callbacks(self, callbacks: Any, seen: int) -> int:
        for d in call("Trials", self._handle, seen, 1 << 20):
            if d["state"] == "running":
                break
            for cb in callbacks:
                cb(self, FrozenTrial._from(d, self))
            seen = d["id"] + 1
        return seen

    # --- results ----------------------------------------------------------
    @property
    def trials(self) -> List[FrozenTrial]:
        """Every trial, in order."""
        return [FrozenTrial._from(d, self) for d in call("Trials", self._handle, -1, 0)]

    def _trial(self, number: int) -> FrozenTrial:
        ds = call("Trials", self._handle, number, 1)
        if not ds:
            raise MorphMLError(f"study {self.study_name!r} has no trial {number}")
        return FrozenTrial._from(ds[0], self)

    @property
    def best_trials(self) -> List[FrozenTrial]:
        """The Pareto-optimal complete trials (one objective: the best one)."""
        return [FrozenTrial._from(d, self) for d in call("BestTrials", self._handle)]

    @property
    def best_trial(self) -> FrozenTrial:
        """The complete trial with the best first objective."""
        if self._n_obj > 1:
            raise MorphMLError(f"study {self.study_name!r} has {self._n_obj} objectives: use best_trials (the Pareto front)")
        best = self.best_trials
        if not best:
            raise MorphMLError(f"study {self.study_name!r} has no complete trial yet")
        return best[0]

    @property
    def best_value(self) -> float:
        return self.best_trial.value  # type: ignore[return-value]

    @property
    def best_params(self) -> Dict[str, Any]:
        return self.best_trial.params

    def to_arrow(self, curves: bool = False) -> Any:
        """The trials (``curves=True``: the intermediate values) as a
        ``pyarrow.RecordBatch``, handed over from Go without copying."""
        import pyarrow as pa

        d = call("TrialsArrow", self._handle, bool(curves))
        try:
            return pa.RecordBatch._import_from_c(d["array"], d["schema"])
        finally:
            core().ReleaseArrow(d["export"])

    def trials_dataframe(self, curves: bool = False) -> Any:
        """The trials as a pandas DataFrame: one row per trial, one typed
        column per parameter (categorical choices as categories), value_<i>
        per objective, the architecture's size, duration, times and error.
        ``curves=True``: one row per reported intermediate value."""
        return self.to_arrow(curves).to_pandas(split_blocks=True)

    def _plot(self, kind: str, **settings: Any) -> Figure:
        js = json.dumps({k: v for k, v in settings.items() if v is not None})
        call("Plot", self._handle, kind, js, "svg")  # raises now, not when displayed
        return Figure(lambda fmt: call("Plot", self._handle, kind, js, fmt)["data"], f"{kind} of {self.study_name}")

    def plot_history(self) -> Figure:
        """Each trial's value and the best so far, by trial."""
        return self._plot("history")

    def plot_pareto(self, x: Optional[str] = None, y: Optional[str] = None,
                    reference: Optional[Sequence[float]] = None) -> Figure:
        """Two metrics against each other with the Pareto front and its
        hypervolume. Metrics: value, value0, value1, params, flops, attr:NAME."""
        return self._plot("pareto", x=x, y=y, reference=list(reference) if reference is not None else None)

    def plot_importance(self, metric: Optional[str] = None, seed: int = 0) -> Figure:
        """Permutation importance of each parameter (a random forest)."""
        return self._plot("importance", metric=metric, seed=seed)

    def plot_parallel(self, metric: Optional[str] = None) -> Figure:
        """Parallel coordinates of the parameters and the objective."""
        return self._plot("parallel", metric=metric)

    def plot_curves(self) -> Figure:
        """The intermediate values each trial reported (pruned ones marked)."""
        return self._plot("curves")

    def plot_arch(self, full: bool = False) -> Figure:
        """The best trial's architecture."""
        return self._plot("arch", full=full)

    def _arch(self, number: int) -> Architecture:
        call("Arch", self._handle, number, "summary")
        return Architecture(lambda fmt: call("Arch", self._handle, number, fmt)["data"], f"trial {number}")

    def _repr_html_(self) -> str:
        return call("StudyHTML", self._handle)["data"]

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{core().Len(self._handle)} trials"
        return f"<morphml.Study {self.study_name!r}: {self.optimizer}, {state}>"

    # --- lifetime ---------------------------------------------------------
    def close(self) -> None:
        """Stops a running engine search and releases the study (its store is
        closed; stored trials stay)."""
        if not self._closed:
            self._closed = True
            check(core().Close(self._handle))

    def __enter__(self) -> "Study":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if not self._closed and _engine._core is not None:
                _engine._core.Close(self._handle)
        except Exception:
            pass


def _describe(e: Optional[BaseException]) -> str:
    if e is None:
        return "failed"
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return f"{type(e).__name__}: {e}\n{tb}".strip()


def _want_progress(show: Optional[bool]) -> bool:
    if show is not None:
        return show
    try:
        from IPython import get_ipython  # type: ignore

        if get_ipython() is not None:
            return True
    except ImportError:
        pass
    import sys

    return sys.stderr.isatty()


def _progress(show: bool, total: Optional[int], study: Study) -> Any:
    if not show:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=study.study_name, unit="trial")


def _advance(bar: Any, study: Study) -> None:
    bar.update(1)
    try:
        best = study.best_trials
        if best and best[0].value is not None and len(best) == 1:
            bar.set_postfix(best=f"{best[0].value:.4g}", refresh=False)
    except MorphMLError:
        pass


def create_study(space: Union[SearchSpace, str], *, optimizer: Optional[str] = None, seed: Optional[int] = None,
                 direction: Optional[str] = None, directions: Optional[Sequence[str]] = None,
                 pruner: Optional[str] = None, pruner_options: Optional[Mapping[str, Any]] = None,
                 storage: Optional[str] = None, study_name: Optional[str] = None, load_if_exists: bool = False,
                 evaluator: Optional[Evaluator] = None, device: Optional[str] = None,
                 **optimizer_options: Any) -> Study:
    """Makes a study of a search space (a :class:`SearchSpace`, or a .morph
    path or text).

    ``optimizer`` is any of :func:`optimizers` (default: the file's Search,
    else "evolution"), with its options as keyword arguments
    (``population_size=20``); ``seed`` makes the search reproducible;
    ``direction`` ("maximize", the default, or "minimize") or ``directions``
    for several objectives; ``pruner`` one of :func:`pruners`; ``storage`` a
    SQLite file that keeps every trial (resume with ``load_if_exists=True``);
    ``evaluator`` an engine evaluator for ``optimize()`` without an objective;
    ``device`` where ``Train`` evaluators train: "cpu" (the default), or "gpu"
    / "auto", which need a build with the XLA engine (the ``morphml`` command
    has it; this wheel trains on the CPU and says so).
    """
    if not isinstance(space, SearchSpace):
        space = SearchSpace.from_morph(space)
    if direction is not None and directions is not None:
        raise ValueError("give direction or directions, not both")
    if storage is not None and storage.startswith("sqlite:///"):
        storage = storage[len("sqlite:///"):]
    settings = {
        "name": study_name or "", "optimizer": optimizer or "", "optimizer_options": optimizer_options or None,
        "seed": seed, "directions": list(directions) if directions is not None else ([direction] if direction else None),
        "pruner": pruner or "", "pruner_options": dict(pruner_options) if pruner_options else None,
        "storage": storage or "", "load_if_exists": bool(load_if_exists), "device": device or "",
    }
    d = call("NewStudy", space.to_morph(), space._path, json.dumps(settings))
    study = Study(d["handle"], d["study"])
    if evaluator is not None:
        try:
            check(core().SetEvaluator(study._handle, evaluator.to_morph()))
        except MorphMLError:
            study.close()
            raise
        study._evaluator_set = True
    return study


def optimizers() -> List[Dict[str, Any]]:
    """The optimizers: name, description and options (with defaults)."""
    return call("Catalog")["optimizers"]


def pruners() -> List[Dict[str, Any]]:
    """The pruners: name, description and options (with defaults)."""
    return call("Catalog")["pruners"]


def load_study(study_name: str, storage: str) -> Study:
    """Opens a study stored in a SQLite file (by ``create_study(...,
    storage=...)`` or ``morphml run``) with the space, optimizer and settings
    it was made with: look at its trials, or ``optimize`` it further."""
    if storage.startswith("sqlite:///"):
        storage = storage[len("sqlite:///"):]
    d = call("LoadStudy", storage, study_name)
    return Study(d["handle"], d["study"])
