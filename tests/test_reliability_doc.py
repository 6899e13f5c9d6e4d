"""``docs/reliability.md`` shows the fault table as the tests count it now."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.faults import faults, table

DOC = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"


def test_the_fault_table_is_current() -> None:
    assert table() in DOC.read_text(encoding="utf-8"), (
        "docs/reliability.md is out of date: paste `python -m tests.helpers.faults` into it"
    )


def test_every_fault_is_tried() -> None:
    assert all(row.cases > 0 for row in faults())
