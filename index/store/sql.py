"""Helpers for statements over many ids: SQLite caps the parameters of one statement."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["chunks", "marks"]


def chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    """``ids`` in slices of at most ``size``, each small enough for one statement."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def marks(n: int) -> str:
    """``n`` comma-separated ``?`` placeholders, for ``IN (...)``."""
    return ",".join("?" * n)
