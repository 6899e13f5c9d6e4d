"""Words in all their forms: a plain word finds every form of its stem, a word in quotes its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.errors import SchemaMismatch
from index.library.facade import Library
from tests.helpers.library import build_library

ARTICLES = {
    "a.txt": "Bushfires near Goulburn\n\nBushfires burned for a week near the town.\n",
    "b.txt": "Smoke over the coast\n\nThe bushfire's smoke reached the coast on Monday.\n",
    "c.txt": "A quiet week\n\nOne bushfire was contained by volunteers before dawn.\n",
    "d.txt": "Talks resume\n\nThe negotiations between the unions and the state went on.\n",
    "e.txt": "Leaders negotiate\n\nThe two sides agreed to negotiate again in spring.\n",
}


FIRES = {"Bushfires near Goulburn", "Smoke over the coast", "A quiet week"}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stems")
    inputs = root / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text)
    build_library(root / "lib", inputs)
    return root / "lib"


def _titles(lib: Library, text: str) -> set[str]:
    return {hit.title for hit in lib.search(text, limit=20).hits}


@pytest.mark.parametrize("word", ["bushfire", "bushfires", "Bushfire's"])
def test_a_word_finds_every_form_of_it(library: Path, word: str) -> None:
    with Library.open(library) as lib:
        assert _titles(lib, word) == FIRES


def test_negotiate_finds_negotiations(library: Path) -> None:
    with Library.open(library) as lib:
        assert _titles(lib, "negotiate") == {"Talks resume", "Leaders negotiate"}


def test_a_word_in_quotes_finds_that_form_only(library: Path) -> None:
    with Library.open(library) as lib:
        assert _titles(lib, '"bushfires"') == {"Bushfires near Goulburn"}
        assert _titles(lib, '"bushfire"') == {"Smoke over the coast", "A quiet week"}
        assert _titles(lib, 'title:"negotiate"') == {"Leaders negotiate"}
        assert _titles(lib, '"negotiations" OR "bushfires"') == {
            "Talks resume",
            "Bushfires near Goulburn",
        }
        assert _titles(lib, 'week NOT "bushfires"') == {"A quiet week"}


def test_a_phrase_matches_the_words_as_written(library: Path) -> None:
    with Library.open(library) as lib:
        assert _titles(lib, '"bushfires burned"') == {"Bushfires near Goulburn"}
        assert _titles(lib, '"bushfire burned"') == set()
        assert _titles(lib, 'title:"bushfires near"') == {"Bushfires near Goulburn"}


def test_the_plain_ranking_path_agrees(library: Path) -> None:
    # (Body phrases and quoted words are its words ANDed there: it checks no text.)
    for text in ["bushfire", "negotiate", 'title:"bushfires near"', "negotia*", "bushfirez~"]:
        with Library.open(library) as lib:
            fast = _titles(lib, text)
            lib.searching.accelerated = False
            assert _titles(lib, text) == fast, text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The stem of "negotiations" is "negoti": a pattern is about the words as written.
        ("negotia*", {"Talks resume", "Leaders negotiate"}),
        ("negotiati*", {"Talks resume", "Leaders negotiate"}),
        ("bushf*", {"Bushfires near Goulburn", "Smoke over the coast", "A quiet week"}),
        ("negotiatons~", {"Talks resume", "Leaders negotiate"}),
        ("negot?ations", {"Talks resume", "Leaders negotiate"}),
        ("bushfirez~", {"Bushfires near Goulburn", "Smoke over the coast", "A quiet week"}),
    ],
)
def test_patterns_match_words_as_written(library: Path, text: str, found: set[str]) -> None:
    with Library.open(library) as lib:
        assert _titles(lib, text) == found


def test_snippets_mark_every_form_that_matched(library: Path) -> None:
    with Library.open(library) as lib:
        page = lib.search("bushfire", limit=20)
        marked = {hit.snippet[s:e] for hit in page.hits for s, e in hit.highlights}
        assert marked == {"Bushfires", "bushfire"}
        titles = {hit.title[s:e] for hit in page.hits for s, e in hit.title_highlights}
        assert titles == {"Bushfires"}
        quoted = lib.search('"bushfires"', limit=20).hits
        assert {h.snippet[s:e] for h in quoted for s, e in h.highlights} == {"Bushfires"}


def test_a_library_built_before_stemming_is_told_to_rebuild_and_why(
    library: Path, tmp_path: Path
) -> None:
    import shutil

    old = tmp_path / "old"
    shutil.copytree(library, old)
    manifest = json.loads((old / "manifest.json").read_text())
    manifest["schema_version"] = 4
    (old / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SchemaMismatch) as caught:
        Library.open(old)
    message = str(caught.value)
    assert "stems" in message and "newsdesk rebuild" in message
