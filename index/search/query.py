"""Parse, cap and check queries in newsdesk's query language (Whoosh syntax).

Words are ANDed; "phrases", OR, NOT, parentheses, ``field:value``, date
ranges, ``prefix*`` and ``fuzzy~`` work as in Whoosh. Every failure, from an
unknown field to a pathological nesting, becomes one :class:`QueryError`
with a message that says what is wrong. Queries are capped in length and
nesting before Whoosh sees them (a 40,000-character token parses in
quadratic time; 1,000 nested parentheses overflow the stack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.plugins import FuzzyTermPlugin, GtLtPlugin

from index.errors import QueryError
from index.search.schema import ENTITY_FIELDS, QUERY_FIELDS

if TYPE_CHECKING:
    from index.search.service import Corpus

__all__ = [
    "Exact",
    "NOTHING",
    "MAX_DEPTH",
    "MAX_QUERY_CHARS",
    "ParsedQuery",
    "make_parser",
    "parse_query",
]

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 16
MAX_TERMS = 64
MAX_TOKEN_CHARS = 200

_FIELD_RE = re.compile(r"(?<![\w\"':])([A-Za-z_][\w]*):(?=\S)")

#: A ``date:`` clause's value: quoted, a bracketed range, a comparison or a word.
_DATE_VALUE = re.compile(r'"[^"]*"(?:~\S*)?|\[[^\]]*\]?|[<>]=?[^\s()]*|[^\s()]+')

_DATE_FIELD = re.compile(r"(?<![\w\"':])date:")

_DATE_FORMS = "a year (2023), a month (2023-05), a day (2023-05-18) or a range ([2021 TO 2022])"

#: A clause that matches no article: an entity clause naming no entity, a
#: pattern with no expansion. Whoosh's ``NullQuery`` would say the same, but
#: ``And`` drops it, so ``arafat person:zzzz`` would find every ``arafat``
#: article; no article id is empty, so this term empties an AND as it should.
NOTHING = wq.Term("id", "")

#: The fields whose words are stemmed in the index.
_TEXT_FIELDS = ("title", "body")


class Exact(wq.Phrase):
    """A word in quotes: that form only, checked against the text as a phrase is.

    Whoosh normalises a one-word phrase to a term, which here would find
    every form of its stem; this one stays a phrase.
    """

    def normalize(self):  # noqa: D102 - Whoosh's query API
        return self


#: Letters a pattern needs before its first ``*`` or ``?`` (as a prefix does).
MIN_PATTERN_LETTERS = 2

#: Entity clauses and the labels they match (None: any kind).
_ENTITY_CLAUSES: dict[str, tuple[str, ...] | None] = {
    "entity": None,
    "with": None,
    **ENTITY_FIELDS,
}


def make_parser(schema: Schema) -> MultifieldParser:
    """A parser over title and body, AND by default, with fuzzy terms on.

    It reads title and body words as written (folded, not stemmed):
    :func:`parse_query` stems the plain words and keeps the ones in quotes.
    """
    import copy

    from index.search.schema import text_analyzer

    schema = copy.deepcopy(schema)
    for name in ("title", "body"):
        schema[name].analyzer = text_analyzer(stemmed=False)
    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    return parser


def _outside_quotes(text: str) -> str:
    """The text with every quoted part blanked out (to scan for field names)."""
    return re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), text)


def _precheck(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_CHARS})")
    if text.count('"') % 2:
        raise QueryError('unclosed quote: every " needs its partner')
    bare = _outside_quotes(text)
    depth = 0
    for char in bare:
        if char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(f"too many nested parentheses (more than {MAX_DEPTH})")
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise QueryError("unbalanced parentheses: a ')' has no '('")
    if depth:
        raise QueryError("unbalanced parentheses: a '(' is never closed")
    for token in bare.split():
        if len(token) > MAX_TOKEN_CHARS:
            raise QueryError(f"a word of {len(token)} characters is too long to search")
    if len(bare.split()) > MAX_TERMS:
        raise QueryError(f"too many words in the query (the limit is {MAX_TERMS})")
    for match in _FIELD_RE.finditer(bare):
        name = match.group(1)
        if name not in QUERY_FIELDS:
            known = ", ".join(f"{f}:" for f in QUERY_FIELDS)
            raise QueryError(f"unknown field '{name}:' (known fields: {known})")


def _check_dates(text: str, parser: MultifieldParser) -> None:
    """Refuse a ``date:`` value that is not a date, naming it (Whoosh fails late or obscurely)."""
    for match in _DATE_FIELD.finditer(_outside_quotes(text)):
        found = _DATE_VALUE.match(text, match.end())
        value = found.group() if found else ""
        try:
            q = parser.parse(f"date:{value}")
        except Exception:  # noqa: BLE001 - Whoosh raises ValueError, Exception, ...
            q = None
        if not isinstance(q, wq.NumericRange):
            raise QueryError(f"date:{value} is not a date: write {_DATE_FORMS}")


def _check_pattern(q: wq.Query) -> None:
    """Refuse patterns that would walk a whole term list (the query would have no bound)."""
    if isinstance(q, wq.Every) or (isinstance(q, wq.Wildcard) and not q.text.strip("*")):
        raise QueryError("'*' alone matches every article: leave the search empty to list them")
    if isinstance(q, wq.TermRange) and not isinstance(q, wq.NumericRange):
        raise QueryError(f"ranges work on date: only ({q.fieldname}:[{q.start} TO {q.end}])")
    if isinstance(q, wq.Wildcard):
        head = re.split(r"[*?]", q.text, maxsplit=1)[0]
        if len(head) < MIN_PATTERN_LETTERS:
            raise QueryError(
                f"'{q.text}' needs at least {MIN_PATTERN_LETTERS} letters before its first * or ?"
            )
    if isinstance(q, wq.FuzzyTerm) and q.maxdist > 1:
        raise QueryError(f"'{q.text}~{q.maxdist}': a fuzzy word allows one edit ({q.text}~)")


def _entity_value(q: wq.Query) -> str | None:
    if isinstance(q, wq.Term):
        return str(q.text)
    if isinstance(q, wq.Phrase):
        return " ".join(str(w) for w in q.words)
    return None


@dataclass(slots=True)
class ParsedQuery:
    """A checked query: the Whoosh query and the ``with:`` names it carries.

    Attributes:
        query: The Whoosh query (entity fields already expanded to terms).
        entity_ids: The entities named by the query's ``entity:``,
            ``person:``, ``org:`` and ``place:`` clauses.
        with_ids: For each ``with:`` clause, the entities it names.
    """

    query: wq.Query
    entity_ids: list[int] = field(default_factory=list)
    with_ids: list[list[int]] = field(default_factory=list)


def _rewrite(q: wq.Query, resolve: Corpus | None, out: ParsedQuery) -> wq.Query:
    """Check a parsed tree and expand entity clauses to the terms of their entities."""
    error = getattr(q, "error", None)
    if error:
        raise QueryError(f"cannot parse the query: {error}")
    fieldname = getattr(q, "fieldname", None)
    if fieldname in _ENTITY_CLAUSES and q.is_leaf():
        value = _entity_value(q)
        if value is None:
            raise QueryError(f"{fieldname}: takes a name or a key (LABEL:name), not a pattern")
        labels = _ENTITY_CLAUSES[fieldname]
        ids = resolve.ids(value, labels) if resolve is not None else []
        if not ids and resolve is not None:
            reason = resolve.why_none(value, labels)
            if reason is not None:
                raise QueryError(reason)
        if fieldname == "with":
            out.with_ids.append(ids)
            return wq.NullQuery  # dropped from the tree; the library applies it
        out.entity_ids.extend(ids)
        terms = resolve.terms(ids) if resolve is not None and ids else []
        if not terms:
            return NOTHING
        return wq.Or([wq.Term("entity", term) for term in terms])
    if isinstance(q, wq.Phrase) and len(q.words) == 1:
        if q.fieldname in _TEXT_FIELDS:
            return Exact(q.fieldname, list(q.words), boost=q.boost)
        q = wq.Term(q.fieldname, q.words[0], boost=q.boost)
    if isinstance(q, wq.Phrase) and q.fieldname in ("url",):
        raise QueryError(f"'{q.fieldname}:' takes a single value, not a phrase")
    if type(q) is wq.Term and q.fieldname in _TEXT_FIELDS:
        from index.search.schema import stem

        return wq.Term(q.fieldname, stem(q.text), boost=q.boost)
    _check_pattern(q)
    if fieldname == "date" and not isinstance(q, wq.NumericRange) and q.is_leaf():
        value = _entity_value(q) or ""
        raise QueryError(f"date:{value} is not a date: write {_DATE_FORMS}")
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _rewrite(sub, resolve, out))


def parse_query(text: str, parser: MultifieldParser, resolve: Corpus | None = None) -> ParsedQuery:
    """Parse a user's query into a checked Whoosh query.

    Args:
        text: The query as typed.
        parser: A parser from :func:`make_parser`.
        resolve: Resolves ``entity:``, ``person:``, ``org:``, ``place:`` and
            ``with:`` values through the store.

    Returns:
        The query and its entity clauses.

    Raises:
        QueryError: The query is too long or too deep, names an unknown
            field, has an unclosed quote or parenthesis, holds nothing
            searchable, or Whoosh cannot parse it.
    """
    text = text.strip()
    _precheck(text)
    _check_dates(text, parser)
    out = ParsedQuery(wq.NullQuery)
    try:
        # Not normalised yet: that would turn a word in quotes into a plain word.
        parsed = parser.parse(text, normalize=False)
        parsed = _rewrite(parsed, resolve, out)
        parsed = parsed.normalize()
    except QueryError:
        raise
    except RecursionError as err:
        raise QueryError("the query is nested too deeply") from err
    except Exception as err:  # noqa: BLE001 - Whoosh raises IndexError, Exception, ...
        raise QueryError(f"cannot parse the query ({type(err).__name__})") from err
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        if out.entity_ids or out.with_ids or _names_entity(text):
            out.query = wq.NullQuery
            return out
        raise QueryError(f"nothing to search for in {text!r} (only very common words?)")
    out.query = parsed
    return out


def _names_entity(text: str) -> bool:
    """Whether a query has an entity clause (which may resolve to nothing)."""
    return any(m.group(1) in _ENTITY_CLAUSES for m in _FIELD_RE.finditer(_outside_quotes(text)))
