"""Ranking: the block-at-a-time BM25F gives Whoosh's own scores, order and totals.

The library is a few hundred synthetic articles (the benchmark generator),
written in several commits so that it has several segments, then some
articles deleted, so that every path of :mod:`index.search.accel.fastscore` runs. The
expected ranking is Whoosh scoring every match (no block skipping), sorted by
score and then document number.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import generate
from index.ingest.writer import add_paths
from index.library.facade import Library
from index.search.accel import fastscore
from index.search.phrases import Checks
from index.search.plan import StoredTexts, _phrases_as_words
from index.search.schema import text_analyzer

pytestmark = pytest.mark.slow

QUERIES = [
    "minister",  # common
    "between aviation",  # two words, ANDed
    "person:kowalczyk",  # a field through the entity store
    "source:reuters",
    "pharm*",  # prefix, expanded
    "shiping~",  # fuzzy, expanded
    "minister OR talks",
    "minister NOT talks",
    "minister NOT talks NOT security",
    "might OR out OR phone",  # many near-ties
    "title:security",
    "date:2021 talks",  # a range leaf, matched by Whoosh's own matcher
    "with:kowalczyk talks",
]


@pytest.fixture(scope="module")
def corpus_and_library(tmp_path_factory) -> tuple[Path, Path]:
    corpus = tmp_path_factory.mktemp("corpus")
    generate(400, corpus, shard=50)
    root = tmp_path_factory.mktemp("lib") / "library"
    add_paths(root, [corpus / "enriched"], batch_articles=100, workers=0)
    # Delete one file: half of a segment (two files per commit) stays as deleted documents.
    shutil.move(str(corpus / "enriched" / "part-00003.jsonl"), str(corpus / "gone.jsonl"))
    add_paths(root, [corpus / "enriched"], prune=True, workers=0)
    return corpus, root


@pytest.fixture(scope="module")
def library(corpus_and_library: tuple[Path, Path]) -> Path:
    return corpus_and_library[1]


def _expected(searcher, plan, limit: int) -> tuple[list[tuple[int, float]], int]:
    results = searcher.search(plan.query, limit=None, filter=plan.restrict)
    every = [(docnum, round(score, 9)) for docnum, score in results.items()]
    every.sort(key=lambda pair: (-pair[1], pair[0]))
    return every[:limit], len(every)


def test_the_library_has_segments_and_deletions(library: Path) -> None:
    with Library.open(library) as lib:
        reader = lib.searching.searcher().reader()
        assert len(reader.leaf_readers()) > 1
        assert any(sub.has_deletions() for sub, _offset in reader.leaf_readers())
        assert lib.stats().articles == 350


@pytest.mark.parametrize("text", QUERIES)
def test_same_ranking_as_whoosh_scoring_every_match(library: Path, text: str) -> None:
    with Library.open(library) as lib:
        searcher = lib.searching.searcher()
        plan = lib.searching.plan(text, lib._corpus())
        assert plan is not None
        want, want_total = _expected(searcher, plan, 15)
        got, total, _exact = fastscore.top(searcher, plan.query, 15, plan.restrict)
        assert want_total > 0, f"{text!r} should match something in the corpus"
        assert total == want_total
        assert [(docnum, round(score, 9)) for docnum, score in got] == want


def test_search_reports_exact_totals_and_pages(library: Path) -> None:
    with Library.open(library) as lib:
        first = lib.search("minister", limit=10)
        second = lib.search("minister", limit=10, offset=10)
        assert first.exact and first.total > 20
        assert second.total == first.total
        ids = [h.id for h in first.hits] + [h.id for h in second.hits]
        assert len(set(ids)) == 20
        scores = [h.score for h in first.hits + second.hits]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "word", ["shiping", "minster", "talk", "kowalczk", "securty", "us", "zz", "presdient", "talsk"]
)
def test_fuzzy_expansion_is_whoosh_s_levenshtein(library: Path, word: str) -> None:
    """One-edit candidates looked up in the dictionary = Whoosh's expansion (swaps count one)."""
    from whoosh import query as wq

    from index.search.expand import fuzzy_terms

    with Library.open(library) as lib:
        reader = lib.searching.searcher().reader()
        for field in ("body", "title"):
            q = wq.FuzzyTerm(field, word, maxdist=1, prefixlength=1)
            whoosh = sorted(t.decode() if isinstance(t, bytes) else t for t in q._btexts(reader))
            assert fuzzy_terms(reader, q) == whoosh


def test_an_open_library_sees_a_merge_and_deletions_as_a_fresh_one_does(
    corpus_and_library: tuple[Path, Path], tmp_path: Path
) -> None:
    """After another writer merges and deletes, the open library's totals and hits are right.

    Whoosh's ``Searcher.refresh`` kept the merged-away segments (every
    document twice) and their old deletions.
    """
    corpus, original = corpus_and_library
    root = tmp_path / "library"
    shutil.copytree(original, root)
    with Library.open(root) as lib:
        before = lib.search("minister", limit=5).total
        gone = tmp_path / "gone"
        gone.mkdir()
        for name in ("part-00000.jsonl", "part-00001.jsonl"):
            shutil.move(str(corpus / "enriched" / name), str(gone / name))
        try:
            add_paths(root, [corpus / "enriched"], prune=True, workers=0)
        finally:
            for name in ("part-00000.jsonl", "part-00001.jsonl"):
                shutil.move(str(gone / name), str(corpus / "enriched" / name))
        after = lib.search("minister", limit=5)
        with Library.open(root) as fresh:
            want = fresh.search("minister", limit=5)
        assert after.total == want.total < before
        assert [h.id for h in after.hits] == [h.id for h in want.hits]
        reader = lib.searching.searcher().reader()
        assert all(sub.doc_count() > 0 for sub, _offset in reader.leaf_readers())
        assert reader.doc_count() == lib.stats().articles


@pytest.mark.parametrize("mode", ["first use", "filters built", "no filters"])
def test_term_filters_find_exactly_the_terms_whoosh_finds(
    library: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fuzzy candidates are checked against in-memory hashes of each segment's terms first."""
    from index.search.accel import termprobe

    termprobe.clear_filters()
    if mode == "filters built":
        monkeypatch.setattr(termprobe, "BUILD_SECONDS_PER_SLOT", 0.0)
    elif mode == "no filters":
        monkeypatch.setattr(termprobe, "FILTER_BUDGET", 0)
    with Library.open(library) as lib:
        reader = lib.searching.searcher().reader()
        for field in ("body", "title", "source", "nosuchfield"):
            real = [t for t in reader.field_terms(field)][:300] if field != "nosuchfield" else []
            junk = [w + "q" for w in real[:100]] + ["zzqx", "é", "ministerr", "", "a b"]
            candidates = real + junk
            want = {t for t in candidates if (field, t) in reader}
            assert termprobe.present_terms(reader, field, candidates) == want
            if field in ("body", "title"):
                assert want >= set(real) and want
    if mode == "filters built":
        assert termprobe._kept > 0
    termprobe.clear_filters()


def test_a_fresh_library_reuses_the_term_filters(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments never change, so a filter outlives the searcher that built it."""
    from whoosh import query as wq

    from index.search.accel import termprobe
    from index.search.expand import fuzzy_terms

    termprobe.clear_filters()
    monkeypatch.setattr(termprobe, "BUILD_SECONDS_PER_SLOT", 0.0)
    built = []
    real = termprobe._read_hashes
    monkeypatch.setattr(termprobe, "_read_hashes", lambda *a: built.append(1) or real(*a))
    q = wq.FuzzyTerm("body", "shiping", maxdist=1, prefixlength=1)
    with Library.open(library) as lib:
        first = fuzzy_terms(lib.searching.searcher().reader(), q)
    segments = len(built)
    assert segments > 1
    with Library.open(library) as lib:
        assert fuzzy_terms(lib.searching.searcher().reader(), q) == first
    assert len(built) == segments
    termprobe.clear_filters()


def _holds(text: str, words: list[str]) -> bool:
    """Brute force: the whole text analysed (not stemmed), the words looked for in a row."""
    seen = [token.text for token in text_analyzer(stemmed=False)(text)]
    return any(seen[i : i + len(words)] == words for i in range(len(seen) - len(words) + 1))


def _phrase_everywhere(lib: Library, searcher, words: list[str]) -> tuple[set[int], set[int]]:
    """The documents whose title, and those whose body, holds the phrase, reading every one."""
    column = searcher.reader().column_reader("id")
    titles, bodies = set(), set()
    for docnum in searcher.reader().all_doc_ids():
        if _holds(searcher.stored_fields(docnum).get("title", ""), words):
            titles.add(docnum)
        if _holds(lib._store().body(column[docnum]) or "", words):
            bodies.add(docnum)
    return titles, bodies


def _without_body_phrases(q):
    from whoosh import query as wq

    from index.search.phrases import phrase_words

    if phrase_words(q) is not None:
        return wq.NullQuery
    return q if q.is_leaf() else q.apply(_without_body_phrases)


def _scores(searcher, q) -> dict[int, float]:
    from whoosh import query as wq

    q = q.normalize()
    if q is wq.NullQuery:
        return {}
    return {d: round(s, 9) for d, s in searcher.search(q, limit=None).items()}


@pytest.mark.parametrize(
    ("text", "phrase", "kind", "other"),
    [
        ('"foreign minister"', ["foreign", "minister"], "is", ""),
        ('"secretary of state"', ["secretary", "state"], "is", ""),
        ('"bilateral talks" minister', ["bilateral", "talks"], "is", ""),
        ('"bilateral talks"^3 minister', ["bilateral", "talks"], "is", ""),
        ('minister NOT "round talks"', ["round", "talks"], "not", "minister"),
        ('security OR "days talks"', ["days", "talks"], "is", ""),
    ],
)
def test_a_phrase_matches_what_the_text_holds_and_ranks_as_its_words(
    library: Path, text: str, phrase: list[str], kind: str, other: str
) -> None:
    """Whoosh's scores, as if the body had positions: a body that holds the phrase
    adds its words' scores, one that does not adds nothing (the title may still match)."""
    with Library.open(library) as lib:
        searcher = lib.searching.searcher()
        plan = lib.searching.plan(text, lib._corpus())
        assert plan is not None
        titles, bodies = _phrase_everywhere(lib, searcher, phrase)
        assert bodies, f"{phrase} should be in the corpus"
        loose = _scores(searcher, _phrases_as_words(plan.query))
        if kind == "is":
            strict = _scores(searcher, _phrases_as_words(_without_body_phrases(plan.query)))
            want = dict(strict)
            want.update({d: s for d, s in loose.items() if d in bodies})
        else:
            plain = _scores(searcher, lib.searching.plan(other, lib._corpus()).query)
            want = {d: s + 1.0 for d, s in plain.items() if d not in titles | bodies}
        ranked = sorted(want.items(), key=lambda pair: (-pair[1], pair[0]))

        every, total, exact = fastscore.top(
            searcher,
            plan.query,
            len(loose) + 1,
            plan.restrict,
            Checks(StoredTexts(lib._corpus().texts, searcher)),
        )
        assert exact and total == len(want) > 0
        assert [(d, round(s, 9)) for d, s in every] == [(d, round(s, 9)) for d, s in ranked]

        for size in (1, 5, 12):
            page, estimate, _ = fastscore.top(
                searcher,
                plan.query,
                size,
                plan.restrict,
                Checks(StoredTexts(lib._corpus().texts, searcher)),
            )
            assert page == every[:size]
            assert estimate >= len(page)
        assert lib.search(text, limit=5).hits[0].id == searcher.stored_fields(every[0][0])["id"]


def test_a_search_past_the_check_budget_still_answers(library: Path) -> None:
    """A phrase under an OR spends the budget; the required phrase still gets its own."""
    with Library.open(library) as lib:
        searcher = lib.searching.searcher()
        plan = lib.searching.plan('"foreign minister" ("bilateral talks" OR zebra)', lib._corpus())
        assert plan is not None
        checks = Checks(StoredTexts(lib._corpus().texts, searcher), budget=3)
        page, estimate, exact = fastscore.top(searcher, plan.query, 20, plan.restrict, checks)
        assert page and not exact and estimate >= len(page)
        titles, bodies = _phrase_everywhere(lib, searcher, ["foreign", "minister"])
        assert {d for d, _ in page} <= titles | bodies


def _words(lib: Library, docnum: int) -> set[str]:
    searcher = lib.searching.searcher()
    fields = searcher.stored_fields(docnum)
    body = lib._store().body(fields["id"]) or ""
    return {t.text for t in text_analyzer()(fields.get("title", "") + " " + body)}


def test_postings_read_a_block_at_a_time_and_kept_are_whooshs(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.search.accel import postings

    postings.clear_cache()
    monkeypatch.setattr(postings, "_KEEP_FROM", 1)
    monkeypatch.setattr(postings, "CACHE_BYTES", 64 * 1024)  # small: some are dropped
    with Library.open(library) as lib:
        for sub, _offset in lib.searching.searcher().leaf_searchers():
            reader = sub.reader()
            terms = [t for t in reader.lexicon("body")][:400]
            for _round in range(2):
                for btext in terms:
                    ids, weights = postings.postings(reader, "body", btext)
                    live = [i for i, d in enumerate(ids.tolist()) if not reader.is_deleted(d)]
                    m = reader.postings("body", btext)  # deleted documents skipped
                    want_ids, want_weights = [], []
                    while m.is_active():
                        want_ids.append(m.id())
                        want_weights.append(m.weight())
                        m.next()
                    assert ids[live].tolist() == want_ids
                    assert weights[live].tolist() == want_weights
    assert 0 < postings._cached_bytes <= 64 * 1024
    postings.clear_cache()


def test_warming_the_library_builds_the_term_filters_and_changes_no_result(
    library: Path,
) -> None:
    from index.search.accel import termprobe

    termprobe.clear_filters()
    with Library.open(library) as lib:
        before = [h.id for h in lib.search("shiping~ OR minster~", limit=50).hits]
    termprobe.clear_filters()
    with Library.open(library) as lib:
        lib.warm()
        assert termprobe._kept > 0
        assert [h.id for h in lib.search("shiping~ OR minster~", limit=50).hits] == before
    termprobe.clear_filters()


def test_common_documents_equal_numpy_s_intersection_dense_or_sparse() -> None:
    """Both ways of intersecting (a table of positions, a binary search) agree with numpy."""
    import numpy as np

    rng = np.random.default_rng(7)
    for size, top in [(0, 10), (1, 1), (50, 60), (900, 1000), (30, 100_000), (5000, 9000)]:
        for _ in range(5):
            a = np.sort(rng.choice(top, min(size, top), replace=False)).astype(np.int64)
            b = np.sort(rng.choice(top, rng.integers(0, top + 1), replace=False)).astype(np.int64)
            _, want_a, want_b = np.intersect1d(a, b, assume_unique=True, return_indices=True)
            here, there = fastscore._common(a, b)
            assert here.tolist() == want_a.tolist() and there.tolist() == want_b.tolist()


@pytest.mark.parametrize("text", QUERIES)
def test_the_accelerated_and_plain_paths_give_the_same_results(library: Path, text: str) -> None:
    def ranked(lib: Library) -> tuple[int, list[tuple[float, str]]]:
        page = lib.search(text, limit=40)
        return page.total, sorted((-round(h.score, 6), h.id) for h in page.hits)

    with Library.open(library) as fast, Library.open(library) as plain:
        plain.searching.accelerated = False
        assert ranked(fast) == ranked(plain)


def test_facets_reuse_the_ranking_of_their_search(library: Path, monkeypatch) -> None:
    import index.search.service as service

    with Library.open(library) as lib:
        fresh = lib.facets("minister")
        calls = []
        real = service.rank
        monkeypatch.setattr(service, "rank", lambda *a, **k: calls.append(a) or real(*a, **k))
        lib.search("talks", limit=20)
        assert len(calls) == 1
        lib.facets("talks")
        assert len(calls) == 1, "the facets ran the query again"
        assert lib.facets("minister") == fresh
        with Library.open(library) as other:
            assert other.facets("talks") == lib.facets("talks")


# -- a clause narrows a search, and one that matches nothing empties it -----------------------

_BASES = st.sampled_from(
    ["minister", "talks", "between aviation", "minister OR talks", "pharm*", "shiping~"]
    + ["person:kowalczyk", "source:reuters", "title:security", "date:2021", "NOT talks"]
    + ['"foreign minister"', "with:kowalczyk talks"]
)
_CLAUSES = st.sampled_from(
    ["security", "talks", "minister OR aviation", "NOT security", "person:kowalczyk", "pharm*"]
    + ["date:2021", '"foreign minister"', "title:talks", "shiping~", "org:parliament"]
)
_NOTHING = st.sampled_from(
    ["person:zzzz", "org:zzzz", "entity:zzzz", "place:zzzz", "zzzz*", "qxqxq~", "title:zzzz*"]
    + ["zzzz", '"zzzz qqqq"', "with:zzzz", "(zzzz* OR qxqxq~)", "person:zzzz zzzz*"]
)


def _ids(lib: Library, text: str) -> set[str]:
    page = lib.search(text, limit=1000)
    assert page.total == len(page.hits) or not page.exact
    return {hit.id for hit in page.hits}


@pytest.mark.parametrize("accelerated", [True, False], ids=["accelerated", "plain"])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(base=_BASES, clause=st.one_of(_CLAUSES, _NOTHING), nothing=_NOTHING)
def test_a_clause_never_adds_results_and_one_that_matches_nothing_empties_an_and(
    library: Path, accelerated: bool, base: str, clause: str, nothing: str
) -> None:
    with Library.open(library) as lib:
        lib.searching.accelerated = accelerated
        assert not _ids(lib, nothing)
        assert not _ids(lib, f"{base} ({nothing})"), f"{base} ({nothing}) found something"
        assert not _ids(lib, f"({nothing}) {base}")
        assert _ids(lib, f"{base} ({clause})") <= _ids(lib, base)
        if not nothing.startswith("with:"):  # with: filters the whole query, even under OR
            assert _ids(lib, f"{base} OR ({nothing})") == _ids(lib, base)
