"""Every hostile fixture, added to an existing library by the real binary: one line each, 0 lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from index.library.facade import Library
from index.safe_text import has_unsafe_chars
from index.store.db import Store
from tests.helpers.hostile import CASES

BIN = Path(sys.executable).with_name("newsdesk")


def _write_cases(folder: Path) -> None:
    folder.mkdir()
    for case in CASES:
        target = folder / case.id
        target.mkdir()
        path = target / case.name
        if callable(case.data):
            case.data(path)
        else:
            path.write_bytes(case.data)


def test_hostile_inputs_never_cost_an_article(library_copy: Path, tmp_path: Path) -> None:
    assert len(CASES) >= 40
    with Library.open(library_copy) as lib:
        before = {hit.id for hit in lib.newest(limit=100).hits}
    assert len(before) == 2
    hostile = tmp_path / "hostile"
    _write_cases(hostile)
    proc = subprocess.run(
        [str(BIN), "add", str(hostile), "--library", str(library_copy), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    errors = [
        line
        for line in lines
        if not line.startswith("newsdesk: note:")
        and "added " not in line
        and "removed; " not in line
        and "errors ->" not in line
    ]
    expected_failures = sum(1 for case in CASES if case.reason)
    assert len(errors) >= expected_failures * 0.9
    for line in lines:
        assert not has_unsafe_chars(line), repr(line)
    for line in errors:
        assert str(hostile) in line or line.startswith("/") or ": " in line
    with Library.open(library_copy) as lib:
        after = {hit.id for hit in lib.newest(limit=1000).hits}
        assert before <= after, "no article of the existing library is lost"
        assert len(after) > len(before)
        assert lib.search("blinken").total == 2
        for article_id in after:
            view = lib.article(article_id, labels=None)
            art = view.article
            for value in (art.title, art.body, art.source, art.url, art.author):
                assert not has_unsafe_chars(value), (article_id, value[:80])
            for span in view.entities:
                assert art.body[span.start : span.end] == span.text
    store = Store(library_copy / "store.sqlite3", readonly=True)
    try:
        assert store.quick_check() == "ok"
    finally:
        store.close()
    again = subprocess.run(
        [str(BIN), "add", str(hostile), "--library", str(library_copy), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in again.stderr
    with Library.open(library_copy) as lib:
        assert {hit.id for hit in lib.newest(limit=1000).hits} == after
