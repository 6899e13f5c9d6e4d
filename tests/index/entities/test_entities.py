"""Entities that mean one thing: resolution, label vote, curation, pages, search."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index.errors import AmbiguousEntity, LibraryError, QueryError
from index.ingest.rebuild import rebuild_library
from index.ingest.writer import add_paths
from index.library.curator import Curator
from index.library.facade import Library
from tests.helpers.entity_corpus import ARTICLES, write_corpus


@pytest.fixture(scope="module")
def fixture_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("entities")
    corpus = write_corpus(base / "corpus.jsonl")
    root = base / "library"
    report = add_paths(root, [str(corpus)])
    assert not report.errors
    assert report.articles_added == len(ARTICLES)
    return root


@pytest.fixture()
def lib_copy(fixture_library: Path, tmp_path: Path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(fixture_library, target)
    target.chmod(0o700)
    return target


def keys(lib: Library) -> dict[str, object]:
    return {e.key: e for e in lib.entities(limit=1000)}


def titles(lib: Library, query: str) -> set[str]:
    return {h.title for h in lib.search(query, limit=50).hits}


# -- resolution at index time ------------------------------------------------------------
def test_surname_resolves_to_the_full_name_in_the_same_article(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        blinken = lib.entity("PERSON:antony blinken")
        assert blinken is not None
        assert dict(blinken.aliases) == {"Antony Blinken": 1, "Blinken": 1}
        assert blinken.articles == 1
        # In a2 there is no full name: "Blinken" stays its own entity there.
        alone = lib.entity("PERSON:blinken")
        assert alone is not None and alone.articles == 1


def test_a_surname_labelled_org_joins_the_person_and_the_vote_says_person(
    fixture_library: Path,
) -> None:
    with Library.open(fixture_library) as lib:
        wang = lib.entity("PERSON:wang yi")
        assert wang is not None and wang.label == "PERSON"
        assert dict(wang.aliases)["Wang"] == 1
        assert not lib.find_entities("ORG:wang")
        page = lib.entity_page(wang.key)
        assert page is not None and page.labels == {"PERSON": 2, "ORG": 1}


def test_normal_forms_and_built_in_equivalents_make_one_place(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        us = lib.entity("GPE:united states")
        assert us is not None
        assert us.name == "United States"
        assert us.articles == 4  # U.S. (a1), The United States (a2), US (a3), USA (a5)
        for spelling in ("US", "U.S.", "United States", "USA", "the U.S.'s"):
            assert [e.key for e in lib.find_entities(spelling)] == ["GPE:united states"]


def test_possessive_and_acronym_join_the_organisation(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        who = lib.entity("ORG:world health organization")
        assert who is not None
        assert who.name == "World Health Organization"
        assert {name for name, _ in who.aliases} == {"World Health Organization", "WHO"}
        assert not any("’s" in e.name or "'s" in e.name for e in lib.entities(limit=1000))


def test_label_vote_majority_wins_and_is_explained(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        washington = lib.find_entities("Washington")
        assert [e.key for e in washington] == ["GPE:washington"]
        assert washington[0].mentions == 3
        lines = "\n".join(lib.explain_entity("Washington"))
    assert "label GPE" in lines and "GPE 2" in lines and "PERSON 1" in lines
    assert "majority" in lines


def test_explain_on_the_cli_names_each_reason(fixture_library: Path) -> None:
    out = _cli("entities", "--explain", "US", "--library", str(fixture_library))
    assert out.returncode == 0, out.stderr
    assert "built-in equivalent" in out.stdout
    out = _cli("entities", "--explain", "Antony Blinken", "--library", str(fixture_library))
    assert "stands for 'antony blinken' in its article" in out.stdout


def test_mentions_keep_surface_text_and_offsets(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        found = lib.mentions("GPE:united states", limit=10)
        assert {m.text for m in found} == {"U.S.", "The United States", "US", "USA"}
        for m in found:
            assert m.context[m.start - m.context_start : m.end - m.context_start] == m.text
            view = lib.article(m.article_id)
            assert view.article.body[m.start : m.end] == m.text


# -- curation ------------------------------------------------------------------------------
def test_hide_removes_an_entity_everywhere_and_survives_add_and_restart(
    lib_copy: Path, tmp_path: Path
) -> None:
    message = Curator(lib_copy).hide("telephonic")
    assert "hid telephonic" in message
    with Library.open(lib_copy) as lib:
        assert "PERSON:telephonic" not in keys(lib)
        assert lib.find_entities("telephonic") == []
        with pytest.raises(QueryError, match="telephonic .* is hidden"):
            lib.search("entity:telephonic")
        a4 = next(h.id for h in lib.search('"telephonic call"').hits)
        assert "telephonic" not in {s.text for s in lib.article(a4).entities}
        assert all(f.entity.key != "PERSON:telephonic" for f in lib.facets("call"))
        assert lib.entity("PERSON:telephonic").hidden
    # A new article with the same false positive, added after the hide.
    extra = tmp_path / "more.jsonl"
    from tests.helpers.entity_corpus import record

    extra.write_text(
        json.dumps(record("2021-04-01", "Again", ["A [telephonic|PERSON] chat in [Oslo|GPE]."]))
        + "\n"
    )
    add_paths(lib_copy, [str(extra)])
    with Library.open(lib_copy) as lib:  # a restart
        assert "PERSON:telephonic" not in keys(lib)
        assert "GPE:oslo" in keys(lib)
        with pytest.raises(QueryError, match="telephonic .* is hidden"):
            lib.search("entity:telephonic")


def test_merge_then_split_undoes_it(lib_copy: Path) -> None:
    curator = Curator(lib_copy)
    curator.merge("PERSON:blinken", "Antony Blinken")
    with Library.open(lib_copy) as lib:
        assert "PERSON:blinken" not in keys(lib)
        blinken = lib.entity("PERSON:antony blinken")
        assert blinken.articles == 2 and blinken.mentions == 3
        assert len({m.article_id for m in lib.mentions(blinken.key)}) == 2
        assert titles(lib, "person:blinken") == {"Alaska talks", "Health experts"}
        assert titles(lib, 'entity:"Antony Blinken"') == {"Alaska talks", "Health experts"}
    assert "Blinken" in (lib_copy / "aliases.toml").read_text()
    curator.split("Blinken")
    with Library.open(lib_copy) as lib:
        assert lib.entity("PERSON:blinken").articles == 1
        assert lib.entity("PERSON:antony blinken").articles == 1
        assert titles(lib, 'entity:"PERSON:antony blinken"') == {"Alaska talks"}


def test_split_takes_an_automatic_alias_out(lib_copy: Path) -> None:
    Curator(lib_copy).split("U.S.")
    with Library.open(lib_copy) as lib:
        us = lib.entity("GPE:united states")
        assert {name for name, _ in us.aliases} == {"United States", "USA"}
        dotted = lib.resolve_entity("U.S.")
        assert dotted.key == "GPE:us" and dotted.articles == 2
        assert titles(lib, 'entity:"GPE:us"') == {"Alaska talks", "Geneva meeting"}
        # The surname resolved inside a1 can be split off too.
    Curator(lib_copy).split("PERSON:antony blinken")
    with Library.open(lib_copy) as lib:
        assert dict(lib.entity("PERSON:antony blinken").aliases) == {"Antony Blinken": 1}
        assert lib.entity("PERSON:blinken").articles == 2
        assert titles(lib, "entity:Blinken") >= {"Alaska talks", "Health experts"}


def test_rename_shows_the_new_name_and_keeps_the_key(lib_copy: Path) -> None:
    Curator(lib_copy).rename("Antony Blinken", "Tony Blinken")
    with Library.open(lib_copy) as lib:
        ent = lib.resolve_entity("Tony Blinken")
        assert ent.key == "PERSON:antony blinken" and ent.name == "Tony Blinken"
        a1 = next(h.id for h in lib.search("Alaska").hits)
        assert "Tony Blinken" in {s.name for s in lib.article(a1).entities}
    Curator(lib_copy).rename("PERSON:antony blinken", "")
    with Library.open(lib_copy) as lib:
        assert lib.entity("PERSON:antony blinken").name == "Antony Blinken"


def test_hand_edited_alias_file_is_read_back(lib_copy: Path) -> None:
    (lib_copy / "aliases.toml").write_text(
        '# my notes\nhide = ["Geneva"]\n\n[merge]\n"Blinken" = "Antony Blinken"\n'
        '\n[rename]\n"Wang Yi" = "WANG Yi"\n',
        encoding="utf-8",
    )
    with Library.open(lib_copy) as lib:
        assert lib.curation_error is None
        found = keys(lib)
        assert "GPE:geneva" not in found and "PERSON:blinken" not in found
        assert found["PERSON:wang yi"].name == "WANG Yi"
    # An edit through the CLI keeps the user's comment.
    Curator(lib_copy).hide("Alaska")
    text = (lib_copy / "aliases.toml").read_text()
    assert "# my notes" in text and "Alaska" in text and "Geneva" in text


def test_a_broken_alias_file_is_one_line_and_keeps_the_last_curation(lib_copy: Path) -> None:
    Curator(lib_copy).hide("telephonic")
    (lib_copy / "aliases.toml").write_text('hide = ["telephonic"\n', encoding="utf-8")
    with Library.open(lib_copy) as lib:
        assert lib.curation_error is not None
        assert "aliases.toml" in lib.curation_error and "\n" not in lib.curation_error
        assert "PERSON:telephonic" not in keys(lib)
    with pytest.raises(LibraryError, match="aliases.toml"):
        Curator(lib_copy).hide("Alaska")


def test_curation_survives_rebuild(lib_copy: Path) -> None:
    Curator(lib_copy).merge("PERSON:blinken", "Antony Blinken")
    Curator(lib_copy).hide("telephonic")
    rebuild_library(lib_copy)
    with Library.open(lib_copy) as lib:
        found = keys(lib)
        assert "PERSON:blinken" not in found and "PERSON:telephonic" not in found
        assert found["PERSON:antony blinken"].articles == 2


def test_ambiguous_and_unknown_names_are_errors(lib_copy: Path) -> None:
    with Library.open(lib_copy) as lib:
        with pytest.raises(LibraryError, match="no entity is named"):
            lib.resolve_entity("Nobody At All")
        # "Blinken" is its own entity (a2) and an alias of Antony Blinken (a1):
        # its own name wins.
        assert lib.resolve_entity("Blinken").key == "PERSON:blinken"
    Curator(lib_copy).rename("PERSON:blinken", "Tony B")
    Curator(lib_copy).rename("PERSON:antony blinken", "Tony B")
    with Library.open(lib_copy) as lib:
        with pytest.raises(AmbiguousEntity, match="give a key"):
            lib.resolve_entity("Tony B")


# -- pages and search ------------------------------------------------------------------------
def test_entity_page_has_aliases_timeline_and_cooccurring(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        page = lib.entity_page("GPE:united states")
    assert page is not None
    assert page.timeline == [("2021-01", 1), ("2021-02", 1), ("2021-03", 2)]
    assert dict(page.aliases) == {"U.S.": 2, "United States": 1, "USA": 1}
    top = {c.entity.key: c for c in page.cooccurring}
    assert top["GPE:china"].sentences == 1
    assert top["ORG:world health organization"].articles == 2
    assert top["GPE:beijing"].sentences == 1


def test_entity_json_on_the_cli(fixture_library: Path) -> None:
    out = _cli("entity", "Wang Yi", "--json", "--library", str(fixture_library))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["key"] == "PERSON:wang yi"
    assert {a["name"] for a in data["aliases"]} == {"Wang Yi", "Wang"}
    assert data["timeline"] == [
        {"month": "2021-01", "mentions": 2},
        {"month": "2021-02", "mentions": 1},
    ]
    assert any(c["key"] == "PERSON:antony blinken" for c in data["cooccurring"])
    assert set(data) >= {"aliases", "timeline", "cooccurring", "articles", "mentions"}


def test_with_keeps_articles_where_both_share_a_sentence(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        assert titles(lib, 'person:"Antony Blinken" with:"Wang Yi"') == {"Alaska talks"}
        # In a1 Blinken and China share a sentence; in a2 nothing of the sort.
        assert titles(lib, 'entity:"Antony Blinken" with:China') == {"Alaska talks"}
        assert titles(lib, 'entity:"Antony Blinken" with:Alaska') == {"Alaska talks"}
        assert titles(lib, 'entity:"Antony Blinken" with:Geneva') == set()
        # Without an entity clause, with: keeps the articles that mention the name.
        assert titles(lib, 'with:"Wang Yi"') == {"Alaska talks", "Health experts"}


def test_kind_fields_match_through_aliases(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        everywhere = {"Alaska talks", "Health experts", "Geneva meeting", "Trade"}
        assert titles(lib, 'place:"U.S."') == everywhere
        assert titles(lib, "place:usa") == everywhere
        assert titles(lib, "org:WHO") == {"Health experts", "Geneva meeting"}
        assert titles(lib, "person:wang") == {"Alaska talks", "Health experts"}
        with pytest.raises(QueryError, match="no organisation is named 'wang', but Wang Yi"):
            titles(lib, "org:wang")  # the vote made Wang a person


def test_facets_count_entities_among_results_and_narrow(fixture_library: Path) -> None:
    with Library.open(fixture_library) as lib:
        facets = {f.entity.key: f.articles for f in lib.facets("met")}
        assert facets["GPE:united states"] == 3  # a1, a2, a3 say "met"
        assert facets["PERSON:wang yi"] == 2
        narrowed = lib.search('met entity:"PERSON:wang yi"')
        assert narrowed.total == 2
        again = {f.entity.key for f in lib.facets('met entity:"PERSON:wang yi"')}
        assert "PERSON:wang yi" not in again and "GPE:united states" in again


# -- the seeds: one Blinken, one United States, WHO without a possessive ------------------------
def test_seeds_blinken_once_us_one_place_who_without_possessive(seed_library: Path) -> None:
    out = _cli("entities", "--json", "--limit", "500", "--library", str(seed_library))
    data = json.loads(out.stdout)
    blinkens = [e for e in data if "blinken" in e["key"]]
    assert len(blinkens) == 1
    assert {"Antony Blinken", "Blinken"} <= {a["name"] for a in blinkens[0]["aliases"]}
    assert blinkens[0]["articles"] == 2
    places = [e for e in data if e["key"] in ("GPE:us", "GPE:u s", "GPE:united states")]
    assert [p["key"] for p in places] == ["GPE:united states"]
    assert not any(e["name"].endswith(("'s", "’s")) for e in data)
    assert any(e["name"] == "World Health Organization" for e in data)
    with Library.open(seed_library) as lib:
        for spelling in ("US", "U.S.", "United States"):
            assert lib.resolve_entity(spelling).key == "GPE:united states"


def test_seeds_hide_telephonic_stays_after_add(library_copy: Path, seeds_dir: Path) -> None:
    args = ["--library", str(library_copy)]
    out = _cli("alias", "hide", "telephonic", *args)
    assert out.returncode == 0, out.stderr
    add = _cli("add", "-q", str(seeds_dir), *args)
    assert add.returncode == 0, add.stderr
    data = json.loads(_cli("entities", "--json", "--limit", "500", *args).stdout)
    assert not any(e["name"] == "telephonic" for e in data)
    listing = json.loads(_cli("alias", "list", "--json", *args).stdout)
    assert listing["hide"] == ["telephonic"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("newsdesk")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300)
