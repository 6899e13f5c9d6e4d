"""The store's format 2 (integer article keys and dates in mentions) and the upgrade from 1."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from index.errors import LibraryError, SchemaMismatch
from index.layout import LibraryPaths, WriteLock
from index.library.facade import Library
from index.store import format as store_format
from index.store.db import Store
from index.store.format import STORE_FORMAT, date_key
from tests.helpers.entity_corpus import ARTICLES, record
from tests.helpers.library import build_library

#: How a format-1 store kept its articles and mentions (text ids and dates).
_FORMAT_1 = [
    "CREATE TABLE articles_v1(id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT,"
    " source TEXT NOT NULL, url TEXT NOT NULL, author TEXT NOT NULL, path TEXT NOT NULL,"
    " line INTEGER, chars INTEGER NOT NULL, added_at REAL NOT NULL, body BLOB NOT NULL)",
    "INSERT INTO articles_v1 SELECT id, title, date, source, url, author, path, line, chars,"
    " added_at, body FROM articles",
    "CREATE TABLE mentions_v1(article_id TEXT NOT NULL, start INTEGER NOT NULL,"
    " end INTEGER NOT NULL, label TEXT NOT NULL, alias INTEGER NOT NULL, auto INTEGER NOT NULL,"
    " name INTEGER NOT NULL, entity INTEGER NOT NULL, sent_start INTEGER NOT NULL,"
    " sent_end INTEGER NOT NULL, date TEXT, PRIMARY KEY(article_id, start)) WITHOUT ROWID",
    "INSERT INTO mentions_v1 SELECT a.id, m.start, m.end, m.label, m.alias, m.auto, m.name,"
    " m.entity, m.sent_start, m.sent_end, a.date FROM mentions m JOIN articles a"
    " ON a.num = m.article",
    "DROP TABLE mentions",
    "DROP TABLE articles",
    "ALTER TABLE articles_v1 RENAME TO articles",
    "ALTER TABLE mentions_v1 RENAME TO mentions",
    "CREATE INDEX articles_newest ON articles(date DESC, id)",
    "CREATE INDEX mentions_entity ON mentions(entity, date DESC, article_id, start)",
    "PRAGMA user_version = 0",
]


def _library(tmp_path: Path) -> Path:
    records = [record(*ARTICLES[name]) for name in ARTICLES]
    timed = ("2021-03-28T09:30:00", "Morning", ["[Antony Blinken|PERSON] flew to [Geneva|GPE]."])
    records.append(record(*timed))
    undated = record("", "Undated", ["[Antony Blinken|PERSON] wrote to [Wang Yi|PERSON]."])
    undated["date"] = None
    records.append(undated)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    root = tmp_path / "library"
    report = build_library(root, corpus)
    assert not report.errors and report.articles_added == len(records)
    return root


def _everything(root: Path) -> dict:
    """What a user can read about the library's entities and articles."""
    with Library.open(root) as lib:
        ids = [hit.id for hit in lib.newest(100).hits]
        entities = lib.entities(limit=1000)
        return {
            "articles": {i: lib.article(i) for i in ids},
            "pages": {e.key: lib.entity_page(e.key) for e in entities},
            "mentions": {
                e.key: sorted(
                    (m.date or "", m.article_id, m.start, m.end, m.context)
                    for m in lib.mentions(e.key, limit=1000)
                )
                for e in entities
            },
            "outside": {e.key: lib.count_mentions(e.key, exclude_article=ids[0]) for e in entities},
            "state": lib.get_state("reader"),
        }


def test_date_key_orders_dates_and_times():
    """Dates order their mentions; a time counts; offsets are read as UTC; junk is undated."""
    assert date_key("2021-03-28") < date_key("2021-03-28T09:30:00") < date_key("2021-03-29")
    assert date_key("2021-03-28T10:30:00+01:00") == date_key("2021-03-28T09:30:00")
    assert date_key("1969-12-31") == -86400
    assert date_key(None) is None and date_key("") is None and date_key("soon") is None
    assert date_key("9999-12-31T23:00:00-05:00") is None  # past datetime's range


def test_mentions_are_listed_newest_first_with_undated_last(tmp_path: Path):
    """The related-mentions order: by the article's date and time, undated last."""
    root = _library(tmp_path)
    with Library.open(root) as lib:
        key = lib.resolve_entity("Antony Blinken").key
        dates = [m.date for m in lib.mentions(key, limit=100)]
    assert dates[0] == "2021-03-28T09:30:00"
    assert dates[-1] is None
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)


def _downgrade(store: Path) -> None:
    conn = sqlite3.connect(store)
    for statement in _FORMAT_1:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _columns(store: Path) -> set[str]:
    conn = sqlite3.connect(store)
    try:
        return {row[1] for row in conn.execute("PRAGMA table_info(mentions)")}
    finally:
        conn.close()


def test_a_format_1_store_is_upgraded_in_place_and_loses_nothing(tmp_path: Path):
    """An older library opens as it was: every entity, mention, article and the reading state."""
    root = _library(tmp_path)
    with Library.open(root) as lib:
        lib.set_state("reader", "kept")
    before = _everything(root)
    store = root / "store.sqlite3"
    _downgrade(store)

    after = _everything(root)  # a reader's open upgrades the store first

    assert after == before
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == STORE_FORMAT
        columns = {row[1] for row in conn.execute("PRAGMA table_info(mentions)")}
        assert {"article", "at"} <= columns and "article_id" not in columns
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    # The upgraded library takes more articles as usual.
    more = tmp_path / "more.jsonl"
    extra = record("2022-01-01", "Later", ["[Wang Yi|PERSON] met [Antony Blinken|PERSON]."])
    more.write_text(json.dumps(extra) + "\n", encoding="utf-8")
    report = build_library(root, more)
    assert not report.errors and report.articles_added == 1
    with Library.open(root) as lib:
        key = lib.resolve_entity("Wang Yi").key
        assert lib.mentions(key, limit=1)[0].date == "2022-01-01"


def test_a_failed_upgrade_leaves_the_old_store_and_the_next_open_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """An error halfway through the upgrade (a full disk, a kill) rolls it all back."""
    root = _library(tmp_path)
    before = _everything(root)
    store = root / "store.sqlite3"
    _downgrade(store)

    def broken(date: str | None) -> int | None:
        raise OSError("no space left on device")

    monkeypatch.setattr(store_format, "date_key", broken)
    with pytest.raises(LibraryError, match="cannot prepare the store"):
        Library.open(root)
    assert "article_id" in _columns(store)  # still format 1, whole
    monkeypatch.undo()
    assert _everything(root) == before


def test_a_store_of_a_newer_format_is_refused_and_left_alone(tmp_path: Path):
    """A library written by a newer newsdesk is not rewritten by this one."""
    root = _library(tmp_path)
    store = root / "store.sqlite3"
    conn = sqlite3.connect(store)
    conn.execute(f"PRAGMA user_version = {STORE_FORMAT + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaMismatch, match="newer newsdesk"):
        Library.open(root)
    with pytest.raises(SchemaMismatch):
        Store(store)
    conn = sqlite3.connect(store)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == STORE_FORMAT + 1
    conn.close()


def test_a_reader_waits_for_the_upgrade_not_for_the_whole_add(tmp_path: Path):
    """While a writer holds the library, a reader opens as soon as that writer has upgraded."""
    root = _library(tmp_path)
    before = _everything(root)
    _downgrade(root / "store.sqlite3")
    locked, upgrade, release = threading.Event(), threading.Event(), threading.Event()

    def writer() -> None:
        with WriteLock(LibraryPaths(root)):
            locked.set()
            upgrade.wait(30)
            Store(root / "store.sqlite3").close()  # what ``add`` does as it starts
            release.wait(60)

    result: list[dict] = []
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        locked.wait(30)
        reader = threading.Thread(target=lambda: result.append(_everything(root)))
        reader.start()
        upgrade.set()
        reader.join(60)  # the writer keeps the lock until ``release``: only the upgrade ends this
        opened_while_writing = not reader.is_alive()
    finally:
        release.set()
        thread.join()
        reader.join()
    assert opened_while_writing
    assert result == [before]


def test_a_store_that_is_not_a_database_is_a_one_line_error(tmp_path: Path):
    root = _library(tmp_path)
    paths = LibraryPaths(root)
    for side in (Path(f"{paths.store}-wal"), Path(f"{paths.store}-shm")):
        side.unlink(missing_ok=True)
    paths.store.write_bytes(b"not a database, " * 512)
    with pytest.raises(LibraryError) as err:
        Library.open(root)
    message = str(err.value)
    assert str(paths.store) in message and "\n" not in message
