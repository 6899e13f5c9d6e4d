"""The Whoosh schema, its version, and the pure "article to fields" function."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StandardAnalyzer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

from index.entities.resolve import NAMED_SPACE, Resolved, resolve_article
from index.layout import SCHEMA_VERSION
from index.models import ENTITY_FIELDS, EnrichedArticle
from index.search.snippets import WORD

__all__ = [
    "ENTITY_FIELDS",
    "QUERY_FIELDS",
    "SCHEMA_VERSION",
    "article_fields",
    "body_terms",
    "make_schema",
    "parse_iso_date",
    "schema_signature",
    "stem",
    "surface_terms",
    "text_analyzer",
]

#: Fields a query may name.
QUERY_FIELDS: tuple[str, ...] = (
    "title",
    "body",
    "date",
    "source",
    "author",
    "url",
    "entity",
    *ENTITY_FIELDS,
    "with",
)


#: English stemming (Snowball's "Porter2", as Xapian and Lucene use): the index
#: holds each word's stem, so ``negotiate`` finds "negotiations". A word in
#: quotes keeps its exact form (see :mod:`index.search.phrases`).
STEM_LANGUAGE = "en"

#: Stems are computed once per distinct word: a body repeats most of its words.
stem = lru_cache(maxsize=200_000)(stemmer_for_language(STEM_LANGUAGE))
stem.__doc__ = "The stem of a folded word, as the index holds it."


def text_analyzer(stemmed: bool = True):
    """The analyser of titles and bodies: words lower-cased, stop words dropped, folded, stemmed.

    Args:
        stemmed: False gives the words as written (folded): the query parser
            reads a query with it, so that a word in quotes keeps its form.
    """
    analyzer = StandardAnalyzer() | CharsetFilter(accent_map)
    return analyzer | StemFilter(lang=STEM_LANGUAGE) if stemmed else analyzer


_STOPS = StopFilter().stops


def stop_words() -> frozenset[str]:
    """The words the analyser drops (besides one-letter ones)."""
    return frozenset(_STOPS)


def surface_terms(text: str) -> list[str]:
    """The words of a text as the analyser sees them before stemming, in order.

    Lower-cased, stop words and one-letter words dropped, accents folded (words
    that are ASCII once lower-cased have no accent to fold): what a phrase in
    quotes is compared with.
    """
    fold, stops = accent_map, _STOPS
    return [
        word if word.isascii() else word.translate(fold)
        for word in map(str.lower, WORD.findall(text))
        if len(word) > 1 and word not in stops
    ]


def body_terms(text: str, forms: dict[str, str] | None = None) -> list[str]:
    """The terms :func:`text_analyzer` gives for a text, in order, as plain strings.

    The body is indexed from this list (Whoosh indexes a list of strings as
    given): the same terms without a token object passing through five
    generators for every word, a large share of the writer's time.
    The steps are the analyser's, in its order (:func:`surface_terms`, then
    :func:`stem`). A test holds the two equal.

    Args:
        text: The text.
        forms: Filled with each word whose stem differs from it (the
            library's lexicon of forms, which prefix and fuzzy queries read).
    """
    words = surface_terms(text)
    stems = list(map(stem, words))
    if forms is not None:
        for word, root in zip(words, stems, strict=True):
            if word != root:
                forms[word] = root
    return stems


class PairFilter(Filter):
    """Turns a token stream into its adjacent pairs ("foreign minister").

    Kept for older libraries: it analyses their ``pairs`` field, and their pickled
    schema names this class, so it stays importable for them to open (and for
    their writers to add documents, which leave that field empty).
    """

    def __call__(self, tokens):  # noqa: D102 - Whoosh's filter API
        previous = None
        for token in tokens:
            word = token.text
            if previous is not None:
                token.text = f"{previous} {word}"
                yield token
            previous = word


def _name_analyzer():
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    """Build the one Whoosh schema of a library.

    Returns:
        The schema: ``id`` (unique), ``title`` (boosted, with positions),
        ``body`` (term frequencies only: positions would make reading a common
        word's postings about five times slower, so phrases are checked against
        the text, which lives in the store, compressed; see
        :mod:`index.search.phrases`), ``date`` (sortable),
        ``source``, ``url``, ``author`` and ``entity``: the normal forms of
        the names the article's named mentions resolved to, plus ``@alias``
        for a mention whose own name resolved to another (entity queries are
        expanded to these terms through the store, so merges, splits and
        renames never need the index rewritten).
    """
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(stored=True, field_boost=2.0, analyzer=text_analyzer()),
        body=TEXT(phrase=False, analyzer=text_analyzer()),
        date=DATETIME(stored=True, sortable=True),
        source=TEXT(stored=True, analyzer=_name_analyzer()),
        url=ID(stored=True),
        author=TEXT(stored=True, analyzer=_name_analyzer()),
        entity=KEYWORD(commas=True, lowercase=True, scorable=True),
        # Query-only fields: never filled; the parser needs them to keep the
        # clauses, which the query module resolves to ``entity`` terms.
        person=KEYWORD(commas=True),
        org=KEYWORD(commas=True),
        place=KEYWORD(commas=True),
        **{"with": KEYWORD(commas=True)},
    )


def schema_signature(schema: Schema) -> dict[str, str]:
    """Describe a schema as field name to field class, for comparing schemas.

    Args:
        schema: A Whoosh schema (ours, or the one read from an index).

    Returns:
        A mapping that is equal for compatible schemas.
    """
    return {name: type(schema[name]).__name__ for name in schema.names()}


def parse_iso_date(value: str | None) -> datetime | None:
    """Turn an ISO date or datetime string into a naive datetime.

    Args:
        value: ``YYYY-MM-DD`` or an ISO datetime, or None.

    Returns:
        The datetime (time zone dropped), or None when absent or unparseable.
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)


def article_fields(
    item: EnrichedArticle,
    mentions: list[Resolved] | None = None,
    forms: dict[str, str] | None = None,
) -> dict[str, object]:
    """Turn an enriched article into the fields of its Whoosh document.

    A pure function: the same article always gives the same document.

    Args:
        item: The article with its entity spans.
        mentions: ``resolve_article(item)``, when the caller has it already.
        forms: Filled with the words of the title and body whose stem differs
            from them (see :func:`body_terms`).

    Returns:
        Keyword arguments for ``writer.add_document``.
    """
    art = item.article
    fields: dict[str, object] = {
        "id": art.id,
        "title": art.title,
        "body": body_terms(art.body, forms),
        "source": art.source,
        "url": art.url,
        "author": art.author,
    }
    if forms is not None:
        body_terms(art.title, forms)
    when = parse_iso_date(art.date)
    if when is not None:
        fields["date"] = when
    terms: set[str] = set()
    for r in resolve_article(item) if mentions is None else mentions:
        if r.space == NAMED_SPACE:
            terms.add(r.auto)
            if r.alias != r.auto:
                terms.add("@" + r.alias)
    if terms:
        fields["entity"] = ",".join(sorted(t.replace(",", " ") for t in terms))
    return fields
