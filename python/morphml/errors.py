"""The exceptions and warnings of MorphML."""

from __future__ import annotations


class MorphMLError(Exception):
    """An error reported by the MorphML engine; the message is the engine's,
    naming the problem and where (for a .morph text: ``path:line:col`` with the
    line and a caret)."""


class TrialPruned(Exception):
    """Raise it in an objective to stop the trial as pruned, usually after
    ``trial.should_prune()`` said so."""


class TrialFailedWarning(UserWarning):
    """Warned when an objective raised: the trial is recorded as failed with the
    exception's text and traceback, and the search goes on."""
