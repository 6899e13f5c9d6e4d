"""The body is indexed from ``body_terms``: the same terms as the schema's analyser gives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import RamStorage

from index.search.schema import body_terms, make_schema, text_analyzer

SEEDS = Path(__file__).resolve().parents[3] / "seeds"

#: Words that exercise every step: stop words, one-letter words, accents to
#: fold, case that lower-cases to non-ASCII, dotted tokens and wildcards.
TRICKY = (
    "The A.B.C. of Ünïcode: İstanbul, STRASSE, straße, Øresund, café, ǅemal, "
    "ﬁnance, e.g. U.S. 3.14 a* b I i x y ΣΊΣΥΦΟΣ Ⅻ ½ ㈠ İİ ΐ ǰ ᾈ"
)


def _whoosh(text: str) -> list[str]:
    return [token.text for token in text_analyzer()(text)]


def test_body_terms_equal_the_analyser_on_the_seeds_and_tricky_words() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.iterdir())]
    for text in [*texts, TRICKY, TRICKY.lower(), TRICKY.upper(), ""]:
        assert body_terms(text) == _whoosh(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_body_terms_equal_the_analyser_on_any_text(text: str) -> None:
    assert body_terms(text) == _whoosh(text)


def test_a_body_indexed_from_its_terms_is_the_body_indexed_from_its_text() -> None:
    """Same terms, frequencies and field length in the index, whichever Whoosh was given."""
    text = SEEDS.joinpath(sorted(p.name for p in SEEDS.iterdir())[0]).read_text()
    got = []
    for body in (text, body_terms(text)):
        ix = RamStorage().create_index(make_schema())
        with ix.writer() as writer:
            writer.add_document(id="a", body=body)
        with ix.reader() as reader:
            postings = {
                term: reader.postings("body", term).value_as("frequency")
                for term in reader.field_terms("body")
            }
            got.append((postings, reader.doc_field_length(0, "body")))
    assert got[0] == got[1]
    assert len(got[0][0]) > 100  # (the field length is stored rounded, the same either way)
