"""The library on the seeds: entities, search kinds, mentions, incremental add and prune."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from index.errors import QueryError
from index.library.facade import Library
from index.models import NAMED_LABELS
from tests.helpers.library import build_library

BLINKEN = "PERSON:antony blinken"


@pytest.fixture(scope="module")
def lib(seed_library: Path):
    with Library.open(seed_library) as library:
        yield library


def test_antony_blinken_is_a_person_in_both_seeds(lib: Library) -> None:
    ent = lib.entity(BLINKEN)
    assert ent is not None and ent.label == "PERSON" and ent.name == "Antony Blinken"
    assert ent.articles == 2
    ids = {hit.id for hit in lib.newest().hits}
    for article_id in ids:
        view = lib.article(article_id)
        assert any(s.key == BLINKEN for s in view.entities)


def test_beijing_is_a_gpe(lib: Library) -> None:
    ent = lib.entity("GPE:beijing")
    assert ent is not None and ent.label == "GPE" and ent.articles == 2


def test_entity_spans_match_the_stored_body(lib: Library) -> None:
    for hit in lib.newest().hits:
        view = lib.article(hit.id, labels=None)
        assert view.entities, "every seed has entities"
        for span in view.entities:
            assert view.article.body[span.start : span.end] == span.text
            assert span.text == span.text.strip()
        assert all(s.label in NAMED_LABELS for s in lib.article(hit.id).entities)


def test_canonical_names_drop_the_and_possessives(lib: Library) -> None:
    assert lib.entity("ORG:world health organization") is not None
    assert lib.entity("ORG:white house") is not None
    keys = {e.key for e in lib.entities(limit=500)}
    assert not any(k.endswith("'s") or k.endswith("’s") for k in keys)


def test_seed_metadata(lib: Library) -> None:
    hits = lib.newest().hits
    dated = [h for h in hits if h.date]
    assert [h.date for h in dated] == ["2023-05-18"]
    assert hits[0].date == "2023-05-18", "newest first, undated last"
    view = lib.article(dated[0].id)
    assert view.article.body.startswith("Amid the declining")
    assert "date 2023-05-18" not in view.article.body


def test_search_blinken_finds_both_with_highlights(lib: Library) -> None:
    page = lib.search("Blinken")
    assert page.total == 2
    for hit in page.hits:
        assert hit.highlights
        for start, end in hit.highlights:
            assert hit.snippet[start:end].lower() == "blinken"


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ('"white house"', 2),
        ('"house white"', 0),
        ("title:biden", 1),
        ("person:blinken", 2),
        ('org:"white house"', 2),
        ("place:beijing", 2),
        ("place:hiroshima", 1),
        (f'entity:"{BLINKEN}"', 2),
        ('entity:"Antony Blinken"', 2),
        ("date:2023-05", 1),
        ("date:2023", 1),
        ("date:[2023-01-01 TO 2023-12-31]", 1),
        ("date:[2019-01-01 TO 2020-12-31]", 0),
        ("hiroshi*", 1),
        ("blinkn~", 2),
        ("huawei", 1),
        ("huawei OR hiroshima", 2),
        ("china NOT huawei", 1),
        ("(huawei OR hiroshima) blinken", 2),
    ],
)
def test_query_kinds(lib: Library, query: str, total: int) -> None:
    assert lib.search(query).total == total


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "unknown field 'foo:'"),
        ('"white house', "unclosed quote"),
        ("(china", "never closed"),
        ("china)", "has no '('"),
        ("(" * 40 + "a" + ")" * 40, "nested"),
        ("x" * 1200, "too long"),
        ("a" * 400, "too long"),
        ("date:2023-13", "month"),
        ("NOT NOT a", "cannot parse"),
        ("the", "nothing to search"),
    ],
)
def test_bad_queries_get_one_clear_error(lib: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        lib.search(query)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_empty_query_lists_newest(lib: Library) -> None:
    page = lib.search("   ")
    assert page.total == 2 and page.hits[0].date == "2023-05-18"


def test_mentions_have_their_sentence(lib: Library) -> None:
    mentions = lib.mentions(BLINKEN)
    assert len(mentions) == 7, "Antony Blinken and, in the same articles, Blinken"
    assert len({m.article_id for m in mentions}) == 2
    assert mentions[0].date == "2023-05-18", "newest first"
    for m in mentions:
        assert m.context[m.start - m.context_start : m.end - m.context_start] == m.text
        assert m.text in ("Antony Blinken", "Blinken")
        assert m.context.endswith((".", "”", '"')) or len(m.context) < 400
    first = lib.mentions(BLINKEN, limit=1)
    assert len(first) == 1
    other = lib.mentions(BLINKEN, exclude_article=mentions[0].article_id)
    assert {m.article_id for m in other} == {mentions[-1].article_id}


def test_incremental_add_and_prune(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    extra = corpus / "extra.txt"
    extra.write_text("Kerry speech\n\nJohn Kerry spoke in Paris about climate policy.\n")
    root = tmp_path / "lib"
    first = build_library(root, corpus)
    assert first.articles_added == 3 and not first.errors
    again = build_library(root, corpus)
    assert again.files_unchanged == 3 and again.articles_added == 0
    os.utime(extra, ns=(1, 1))  # touched but unchanged: hashed, not redone
    touched = build_library(root, corpus)
    assert touched.files_unchanged == 3 and touched.articles_added == 0
    extra.write_text("Kerry speech\n\nJohn Kerry spoke in Berlin about climate policy.\n")
    changed = build_library(root, corpus)
    assert changed.articles_added == 1 and changed.articles_removed == 1
    with Library.open(root) as lib:
        assert lib.search("berlin").total == 1 and lib.search("paris").total == 0
    extra.unlink()
    kept = build_library(root, corpus)
    with Library.open(root) as lib:
        assert lib.stats().articles == 3, "without --prune nothing is dropped"
    pruned = build_library(root, corpus, prune=True)
    assert pruned.files_pruned == 1 and pruned.articles_removed == 1 and kept.articles_added == 0
    with Library.open(root) as lib:
        assert lib.stats().articles == 2
        assert lib.search("berlin").total == 0
        assert lib.entity("PERSON:john kerry").articles == 1  # seed 004 still names him


def test_same_article_in_two_files_is_one_article(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    text = (seeds_dir / "000_b1be0d5c4baa7946.txt").read_bytes()
    (corpus / "a.txt").write_bytes(text)
    (corpus / "b.txt").write_bytes(text)
    root = tmp_path / "lib"
    build_library(root, corpus)
    with Library.open(root) as lib:
        assert lib.stats().articles == 1
        assert lib.search("huawei").total == 1
    (corpus / "a.txt").unlink()
    build_library(root, corpus, prune=True)
    with Library.open(root) as lib:
        assert lib.stats().articles == 1, "b.txt still holds it"


def test_readers_see_new_articles_after_commit(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "lib"
    build_library(root, seeds_dir)
    with Library.open(root) as lib:
        assert lib.search("paris").total == 0
        extra = tmp_path / "more.txt"
        extra.write_text("Paris talks\n\nEmmanuel Macron met officials in Paris on Monday.\n")
        build_library(root, extra)
        assert lib.search("paris").total == 1
        assert lib.stats().articles == 3


def test_hostile_file_names_are_stored_and_pruned(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    weird = os.fsencode(corpus) + b"/bad\xff\x1b]0;x\x07[name].txt"
    with open(weird, "wb") as out:
        out.write(b"Odd name\n\nAngela Merkel visited Paris.\n")
    root = tmp_path / "lib"
    report = build_library(root, corpus)
    assert report.articles_added == 1 and not report.errors
    assert build_library(root, corpus).files_unchanged == 1
    os.unlink(weird)
    assert build_library(root, corpus, prune=True).files_pruned == 1
    with Library.open(root) as lib:
        assert lib.stats().articles == 0


def test_relative_paths_are_recorded_absolute(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    shutil.copytree(seeds_dir, tmp_path / "s")
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "lib"
    build_library(root, "s")
    monkeypatch.chdir(tmp_path / "s")
    again = build_library(root, ".", prune=True)
    assert again.files_unchanged == 2 and again.files_pruned == 0


def test_file_changed_during_add_converges_on_the_next_add(tmp_path: Path, monkeypatch) -> None:
    import index.ingest.intake as intake

    doc = tmp_path / "c" / "story.txt"
    doc.parent.mkdir()
    doc.write_text("First version\n\nAngela Merkel visited Paris.\n")
    real_hash = intake.hash_file

    def hash_then_change(path: Path) -> str:
        digest = real_hash(path)
        path.write_text("Second version\n\nOlaf Scholz visited Warsaw on a long trip.\n")
        return digest

    monkeypatch.setattr(intake, "hash_file", hash_then_change)
    root = tmp_path / "lib"
    first = build_library(root, doc.parent)
    assert not first.errors
    monkeypatch.setattr(intake, "hash_file", real_hash)
    build_library(root, doc.parent)
    with Library.open(root) as lib:
        assert lib.stats().articles == 1
        assert lib.search("warsaw").total == 1 and lib.search("paris").total == 0
    assert build_library(root, doc.parent).files_unchanged == 1


def test_a_date_reads_the_same_in_every_listing(tmp_path: Path) -> None:
    """A feed article's time shows in searches as in the newest list and the article."""
    feed = tmp_path / "in" / "wire.rss"
    feed.parent.mkdir()
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>The Wire</title>'
        "<item><title>Timed</title><pubDate>Sat, 25 Sep 2021 10:00:00 GMT</pubDate>"
        "<description>Harbour pilots struck at dawn.</description></item>"
        "<item><title>Midnight</title><pubDate>Sun, 26 Sep 2021 00:00:00 GMT</pubDate>"
        "<description>Harbour pilots went back to work.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    build_library(tmp_path / "lib", feed.parent)
    with Library.open(tmp_path / "lib") as lib:
        searched = {h.title: h.date for h in lib.search("harbour").hits}
        listed = {h.title: h.date for h in lib.newest().hits}
        shown = {t: lib.article(h.id).article.date for h in lib.newest().hits for t in [h.title]}
    assert searched == listed == shown == {"Timed": "2021-09-25T10:00:00", "Midnight": "2021-09-26"}
