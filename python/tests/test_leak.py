"""The process's memory stays flat over many engine calls."""

import psutil
import pytest

import morphml as mm
from morphml._engine import core


def rss_mb():
    return psutil.Process().memory_info().rss / 2**20


def test_rss_flat_over_200k_ask_tell(hpo_space):
    b = core()
    open_before, exports_before = b.OpenStudies(), b.PendingExports()

    def batch(n_studies):
        for _ in range(n_studies):
            s = mm.create_study(hpo_space, optimizer="random", seed=1)
            for _ in range(1000):
                t = s.ask()
                s.tell(t, 1.0)
            with pytest.raises(mm.MorphMLError):  # an error result every study
                s.tell(0, 1.0)
            s.to_arrow()
            s.close()

    batch(20)  # warm up: the Go heap and the allocator reach their working size
    before = rss_mb()
    batch(180)
    grown = rss_mb() - before
    assert b.OpenStudies() == open_before and b.PendingExports() == exports_before
    assert grown < 40, f"RSS grew {grown:.1f} MiB over 180k ask/tell calls"


def test_rss_flat_over_error_results(hpo_space):
    s = mm.create_study(hpo_space, seed=1)
    for _ in range(2000):
        with pytest.raises(mm.MorphMLError):
            s.tell(99, 1.0)
    before = rss_mb()
    for _ in range(50000):
        try:
            s.tell(99, 1.0)
        except mm.MorphMLError:
            pass
    grown = rss_mb() - before
    assert grown < 10, f"RSS grew {grown:.1f} MiB over 50k error results"


def test_no_go_collection_per_python_collection():
    import gc

    core()
    assert not [cb for cb in gc.callbacks if getattr(cb, "__module__", "").startswith("morphml")]
