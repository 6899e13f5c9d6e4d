"""Highlighting: every token that folds to a query word is marked, whatever its case or accents.

A query's plain words are stems (every form of them is marked); words in
quotes are marked as written. The folding tests use the second: a form is
the simpler rule to state.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.search.schema import stem
from index.search.snippets import EXACT, WORD, fold, match_spans, snippet, words_pattern

#: A token as the index's tokenizer reads it (``*`` counts as a word character for wildcards).


def exact(words) -> frozenset[str]:
    return frozenset(EXACT + word for word in words)


def reference(text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Every whole token whose folded form is one of the words: what a reader expects marked."""
    return [(m.start(), m.end()) for m in WORD.finditer(text) if EXACT + fold(m.group()) in words]


def marked(text: str, words: set[str]) -> list[str]:
    return [text[s:e] for s, e in match_spans(text, exact(words))]


def test_a_stem_marks_every_form_of_its_word() -> None:
    text = "Bushfires spread; the bushfire's smoke, a bushfire, bushes and negotiations."
    found = [text[s:e] for s, e in match_spans(text, frozenset({stem("bushfire")}))]
    assert found == ["Bushfires", "bushfire", "bushfire"]
    assert [text[s:e] for s, e in match_spans(text, frozenset({stem("negotiate")}))] == [
        "negotiations"
    ]


def test_a_word_in_quotes_marks_that_form_only() -> None:
    text = "Bushfires spread; the bushfire's smoke."
    assert marked(text, {"bushfires"}) == ["Bushfires"]


def test_accents_and_case_of_the_text_are_folded() -> None:
    text = "The Sécretary of STATE met Zürich's ÉTAT officials in Zurich."
    assert marked(text, {"secretary", "state", "zurich", "etat"}) == [
        "Sécretary",
        "STATE",
        "Zürich",
        "ÉTAT",
        "Zurich",
    ]


def test_whole_tokens_only() -> None:
    text = "statement states state, statehood; restate state."
    assert marked(text, {"state"}) == ["state", "state"]


def test_a_longer_token_with_the_same_start_hides_nothing() -> None:
    # Same first letter and same length as a query word, but another word.
    assert marked("stale state stage state", {"state", "stage"}) == ["state", "stage", "state"]


def test_words_with_a_dot() -> None:
    text = "the U.S. and u.s.a. and US and U.S"
    assert marked(text, {"u.s"}) == ["U.S", "U.S"]
    assert marked(text, {"us"}) == ["US"]


def test_many_words_of_a_prefix_query() -> None:
    words = {f"disarm{tail}" for tail in ("", "s", "ed", "ing", "ament", "aments", "er")}
    text = " ".join(sorted(words)) + " disarray Disarmament DISARMED"
    assert marked(text, words) == [*sorted(words), "Disarmament", "DISARMED"]


def test_no_words_mark_nothing() -> None:
    assert match_spans("any text", frozenset()) == []
    assert words_pattern(frozenset({""})).search("any text") is None


def test_snippet_offsets_point_at_the_words() -> None:
    body = "Lead sentence. " + "filler words here. " * 30 + "The Sécretary of State spoke."
    text, offsets = snippet(body, exact(["secretary", "state"]))
    assert [text[s:e] for s, e in offsets] == ["Sécretary", "State"]


#: Letters of the generated texts. Not "İ": its lower case is two characters, so its token
#: never has the length of its folded form (a known gap, as before).
_LETTERS = "aeiousntlrcdSTEÉéèüÜöñçß"
_words = st.text(alphabet=_LETTERS, min_size=1, max_size=7)
_separators = st.sampled_from([" ", ". ", ", ", "-", ".", "'", "\n", "*", "..", " (", "’"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_words, _separators), max_size=30),
    st.lists(_words, min_size=1, max_size=8),
)
def test_marks_exactly_the_tokens_that_fold_to_a_word(
    pieces: list[tuple[str, str]], queried: list[str]
) -> None:
    text = "".join(word + sep for word, sep in pieces)
    tokens = [m.group() for m in WORD.finditer(text)]
    words = exact(fold(w) for w in queried + tokens[::3])
    assert match_spans(text, words) == reference(text, words)
