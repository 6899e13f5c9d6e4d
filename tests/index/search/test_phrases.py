"""Body phrases: checked against the stored text, as the index analyses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT

from index.library.facade import Library
from index.search import storage as whoosh_store
from index.search.phrases import contains_phrase
from index.search.schema import PairFilter, make_schema
from tests.helpers.entity_corpus import record
from tests.helpers.library import build_library


@pytest.mark.parametrize(
    ("body", "words", "holds"),
    [
        ("The Secretary of State flew in.", ("secretary", "state"), True),
        ("the secretary, state and city", ("secretary", "state"), True),  # as the index sees it
        ("the secretary of the state", ("secretary", "state"), True),  # stop words between
        ("the secretary met the state", ("secretary", "met", "state"), True),
        ("the secretary met a head of state", ("secretary", "state"), False),
        ("the secretaryship of state", ("secretary", "state"), False),  # whole words only
        ("under-secretary of state", ("secretary", "state"), True),
        ("talks in Zürich Airport", ("zurich", "airport"), True),  # accents folded
        ("ZURICH\nAIRPORT", ("zurich", "airport"), True),
        ("debt ceiling. Ceiling crisis.", ("debt", "ceiling", "crisis"), False),
        ("the debt ceiling crisis", ("debt", "ceiling", "crisis"), True),
        ("ends with foreign", ("foreign", "minister"), False),
        ("foreign" + " of the a" * 200 + " minister", ("foreign", "minister"), True),
        ("", ("foreign", "minister"), False),
        ("talks stalled...Foreign minister", ("foreign", "minister"), True),  # a dot, no word
        ("the .NET framework", ("net", "framework"), True),
        ("the U.S. Foreign minister", ("foreign", "minister"), True),
        ("U.S.Foreign minister", ("foreign", "minister"), False),  # one token: "u.s.foreign"
    ],
)
def test_a_phrase_is_found_as_the_index_analyses_the_text(
    body: str, words: tuple[str, ...], holds: bool
) -> None:
    assert contains_phrase(body, words) is holds


def _corpus(tmp_path: Path, name: str, sentences: dict[str, list[str]]) -> Path:
    records = [
        record("2021-01-0" + str(i + 1), title, s) for i, (title, s) in enumerate(sentences.items())
    ]
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_a_library_written_with_the_pairs_field_still_searches_and_adds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Libraries from before phrases were checked against the text hold a ``pairs`` field."""

    def old_schema():
        schema = make_schema()
        schema.add("pairs", TEXT(phrase=False, analyzer=StandardAnalyzer() | PairFilter()))
        return schema

    root = tmp_path / "library"
    first = _corpus(tmp_path, "a.jsonl", {"Old": ["The [Foreign Office|ORG] wrote to a minister."]})
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_store, "make_schema", old_schema)
        assert not build_library(root, first).errors
    with Library.open(root) as lib:
        assert "pairs" in lib.searching.searcher().schema
        assert [h.title for h in lib.search('"foreign office"').hits] == ["Old"]

    second = _corpus(tmp_path, "b.jsonl", {"New": ["A foreign office, then another."]})
    assert not build_library(root, second).errors
    with Library.open(root) as lib:
        assert sorted(h.title for h in lib.search('"foreign office"').hits) == ["New", "Old"]
        assert lib.search('"office foreign"').total == 0


def test_candidates_come_in_rank_order_however_far_a_search_reads() -> None:
    import numpy as np

    from index.search.phrases import _Ranking

    rng = np.random.default_rng(7)
    docs = np.sort(rng.choice(100_000, size=5_000, replace=False))
    rounded = np.round(rng.integers(0, 40, size=5_000) / 7, 9)  # many ties
    want = [int(r) for r in np.lexsort((docs, -rounded))]
    for first in (1, 256, 4_999, 5_000, 9_000):
        ranking = _Ranking(docs, rounded, first)
        got: list[int] = []
        while len(got) < len(docs):
            got += ranking.rows(len(got), 97)
        assert got == want


def test_a_title_only_match_ranked_below_every_candidate_is_still_shown(tmp_path: Path) -> None:
    """It loses its body words' score and falls below the last candidate read."""
    filler = " ".join(["Talks went on about the harbour and the budget."] * 40)
    articles = {
        "Solar flare warning": [f"{filler} The flare was seen. Solar panels failed."],
        "Weather": ["A solar flare. Solar flare again. Solar flare."],
        **{f"Filler {i}": ["Nothing to see in this one."] for i in range(6)},
    }
    root = tmp_path / "library"
    assert not build_library(root, _corpus(tmp_path, "c.jsonl", articles)).errors
    with Library.open(root) as lib:
        page = lib.search('"solar flare"')
        assert page.total == 2 and page.exact
        assert sorted(h.title for h in page.hits) == ["Solar flare warning", "Weather"]


def test_blocks_read_without_unpickling_equal_the_pickle() -> None:
    """The fast path of the posting reader, against pickle itself, on every shape of block."""
    import pickle
    import random

    import numpy as np

    from index.search.accel.postings import _small_gaps

    rng = random.Random(3)
    fast_ones = 0
    for _ in range(3000):
        count = rng.choice([1, 2, 3, 4, 5, 64, 127, 128])
        first = rng.choice([0, 5, 255, 256, 65535, 65536, 2**31 - 1, 2**31])
        top = rng.choice([1, 255, 256, 70000])
        ids = (first, *(rng.randint(1, top) for _ in range(count - 1)))
        weights = rng.choice([None, 2.0, tuple(float(rng.randint(1, 9)) for _ in range(count))])
        raw = pickle.dumps((ids, weights, None), 2)
        fast = _small_gaps(raw, count)
        if fast is None:
            assert count < 4 or max(ids[1:]) > 255 or first >= 2**31
            continue
        fast_ones += 1
        got_first, got_gaps, got_weights = fast
        assert [got_first, *got_gaps] == list(ids)
        if isinstance(got_weights, bytes):
            decoded = np.frombuffer(got_weights, [("op", "S1"), ("value", ">f8")])["value"]
            assert decoded.tolist() == list(weights)
        else:
            assert got_weights == weights
    assert fast_ones > 300


def test_block_headers_read_without_unpickling_equal_the_pickle() -> None:
    """A posting block's header (count, last id, max weight, compression, lengths)."""
    import pickle
    import random

    from index.search.accel.postings import _header

    rng = random.Random(4)
    fast_ones = 0
    for _ in range(5000):
        info = (
            rng.choice([1, 5, 128, 255, 256, 65535, 65536]),
            rng.choice([0, 255, 256, 65536, 2**31 - 1, 2**31, 2**40]),
            rng.choice([1.0, 2.5, 17.0]),
            rng.choice([0, 3, 255, 256]),
            rng.randint(0, 255),
            rng.randint(0, 255),
        )
        raw = pickle.dumps(info, 2)
        found = _header(b"tag" + raw + b"data", 3)
        if found is None:
            assert info[0] > 65535 or info[1] >= 2**31 or info[3] > 65535
            continue
        fast_ones += 1
        assert found == (info[0], info[3], 3 + len(raw))
    assert fast_ones > 1000


def test_a_title_phrase_that_is_not_the_body_phrase_is_left_to_whoosh(tmp_path: Path) -> None:
    """Only the parser's own pair (same words, no slop) is checked against the stored title."""
    from whoosh import query as wq

    articles = {
        "Alpha beta": ["Nothing here."],
        "Gamma delta": ["The alpha beta story."],
        "Gamma delta only": ["Nothing at all."],
        "Alpha gamma beta": ["Nothing else."],
        "İstanbul airport reopens": ["Flights resumed."],
        **{f"Filler {i}": ["Plain words."] for i in range(4)},
    }
    root = tmp_path / "library"
    assert not build_library(root, _corpus(tmp_path, "c.jsonl", articles)).errors
    with Library.open(root) as lib:
        searcher = lib.searching.searcher()

        def whoosh_titles(words: list[str], slop: int = 1) -> set[str]:
            found = searcher.search(wq.Phrase("title", words, slop=slop), limit=None)
            return {searcher.stored_fields(d)["title"] for d in found.docs()}

        def ours(text: str) -> set[str]:
            return {h.title for h in lib.search(text, limit=50).hits}

        assert ours('title:"alpha beta" OR body:"gamma delta"') == whoosh_titles(["alpha", "beta"])
        assert ours('title:"gamma delta" OR body:"alpha beta"') == {
            "Gamma delta",
            "Gamma delta only",
        }
        assert ours('title:"alpha beta"~3 OR body:"alpha beta"') == whoosh_titles(
            ["alpha", "beta"], slop=3
        ) | {"Gamma delta"}
        assert ours('"İstanbul airport"') == {"İstanbul airport reopens"}


def test_a_phrase_hit_s_snippet_comes_from_its_own_body(tmp_path: Path) -> None:
    """Bodies read by the phrase check serve the snippets: each hit shows its own phrase."""
    articles = {
        f"Story {i}": [f"Filler number {i} opens.", f"The foreign minister spoke to case {i}."]
        for i in range(6)
    }
    articles["Apart"] = ["The foreign office and the minister."]
    root = tmp_path / "lib"
    assert not build_library(root, _corpus(tmp_path, "c.jsonl", articles)).errors
    with Library.open(root) as lib:
        page = lib.search('"foreign minister"', limit=4)
        assert len(page.hits) == 4
        for hit in page.hits:
            number = hit.title.split()[-1]
            assert f"case {number}" in hit.snippet
            marked = [hit.snippet[start:end].lower() for start, end in hit.highlights]
            assert "foreign" in marked and "minister" in marked
        assert "Apart" not in {h.title for h in lib.search('"foreign minister"').hits}


# -- the prefilter turns away only bodies that cannot hold the phrase -------------------------

_TOKENS = st.sampled_from(
    ["between", "Between", "BETWÉEN", "bétween", "earlier", "Earlier", "earliér", "the", "of"]
    + ["a", "I", "x", "u.s", "U.S", "æ", "straße", "state", "betweenearlier", "42", "*"]
)
_SEPARATORS = st.sampled_from([" ", ", ", " — ", ". ", "’", "\u0303", "\n\n", "-", "."])
_BODIES = st.lists(st.tuples(_TOKENS, _SEPARATORS), max_size=12).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)
_PHRASES = st.sampled_from(
    [("between", "earlier"), ("earlier", "between"), ("u.s", "state"), ("between", "42")]
    + [("strasse", "state"), ("between", "earlier", "state"), ("ae", "between")]
)


@settings(max_examples=500, deadline=None)
@given(body=_BODIES, words=_PHRASES)
def test_the_prefilter_never_turns_away_a_body_that_holds_the_phrase(body: str, words) -> None:
    from index.search.phrases import _holds, _prefilter

    prefilter = _prefilter(words)
    if _holds(body, words):
        assert prefilter is None or prefilter.admits(body), body
    assert contains_phrase(body, words) == _holds(body, words)


def test_the_prefilter_turns_away_the_common_miss() -> None:
    from index.search.phrases import _prefilter

    prefilter = _prefilter(("between", "earlier"))
    assert prefilter is not None
    assert not prefilter.admits("Talks between rivals began earlier this week.")
    assert prefilter.admits("It fell between, of the earlier two.")
    assert prefilter.admits("BETWÉEN Earlier")
