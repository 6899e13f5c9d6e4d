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
from collections.abc import Callable

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.plugins import FuzzyTermPlugin, GtLtPlugin

from index.errors import QueryError
from index.models import NAMED_LABELS
from index.schema import QUERY_FIELDS

__all__ = ["MAX_DEPTH", "MAX_QUERY_CHARS", "make_parser", "parse_query"]

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 16
MAX_TERMS = 64
MAX_TOKEN_CHARS = 200

_FIELD_RE = re.compile(r"(?<![\w\"':])([A-Za-z_][\w]*):(?=\S)")
_KNOWN_LABELS = set(NAMED_LABELS) | {
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
}

#: Resolves a user's ``entity:`` value to entity keys (via the store).
EntityResolver = Callable[[str], list[str]]


def make_parser(schema: Schema) -> MultifieldParser:
    """A parser over title and body, AND by default, with fuzzy terms on."""
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


def _entity_value(q: wq.Query) -> str | None:
    if isinstance(q, wq.Term):
        return str(q.text)
    if isinstance(q, wq.Phrase):
        return " ".join(str(w) for w in q.words)
    if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
        return None
    return None


def _rewrite(q: wq.Query, resolve: EntityResolver | None) -> wq.Query:
    """Check a parsed tree and resolve ``entity:`` values to keys."""
    error = getattr(q, "error", None)
    if error:
        raise QueryError(f"cannot parse the query: {error}")
    if getattr(q, "fieldname", None) == "entity" and q.is_leaf():
        value = _entity_value(q)
        if value is None:
            raise QueryError("entity: takes a key (LABEL:name) or a name, not a pattern")
        label, sep, _name = value.partition(":")
        if sep and label.upper() in _KNOWN_LABELS:
            return wq.Term("entity", value.lower())
        keys = resolve(value) if resolve is not None else []
        if not keys:
            return wq.NullQuery
        return wq.Or([wq.Term("entity", key.lower()) for key in keys])
    if isinstance(q, wq.Phrase) and q.fieldname in ("url",):
        raise QueryError(f"'{q.fieldname}:' takes a single value, not a phrase")
    if q.is_leaf():
        return q
    return q.apply(lambda sub: _rewrite(sub, resolve))


def parse_query(
    text: str, parser: MultifieldParser, resolve: EntityResolver | None = None
) -> wq.Query:
    """Parse a user's query into a checked Whoosh query.

    Args:
        text: The query as typed.
        parser: A parser from :func:`make_parser`.
        resolve: Maps an ``entity:NAME`` value to entity keys.

    Returns:
        The Whoosh query.

    Raises:
        QueryError: The query is too long or too deep, names an unknown
            field, has an unclosed quote or parenthesis, holds nothing
            searchable, or Whoosh cannot parse it.
    """
    text = text.strip()
    _precheck(text)
    try:
        parsed = parser.parse(text)
        parsed = _rewrite(parsed, resolve)
        parsed = parsed.normalize()
    except QueryError:
        raise
    except RecursionError as err:
        raise QueryError("the query is nested too deeply") from err
    except Exception as err:  # noqa: BLE001 - Whoosh raises IndexError, Exception, ...
        raise QueryError(f"cannot parse the query ({type(err).__name__})") from err
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        raise QueryError(f"nothing to search for in {text!r} (only very common words?)")
    return parsed
