"""Building libraries for tests."""

from __future__ import annotations

from pathlib import Path

from index.ingest.writer import add_paths


def build_library(root: Path, *inputs: Path | str, **kwargs):
    """Add inputs to a (new) library at ``root`` and return the add report."""
    return add_paths(root, [str(p) for p in inputs], **kwargs)
