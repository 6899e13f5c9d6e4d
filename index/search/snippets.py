"""Highlighted snippets without re-running Whoosh's highlighter.

Whoosh's highlighter re-analyses each hit's whole body with the full analyzer
chain (or needs every match's term positions recorded during the search, which
costs on every matching document, not just the 20 shown). Here the body is
scanned once with the same tokenizer pattern and folding, and only the words
the query asked for are marked, one pass over each hit's body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

__all__ = [
    "EXACT",
    "WORD",
    "SNIPPET_CHARS",
    "clear_patterns",
    "fold",
    "lead",
    "match_spans",
    "snippet",
    "words_pattern",
]

#: Marks a word to match as written (a word in quotes), where a bare word is a
#: stem and matches every form of it.
EXACT = "="

SNIPPET_CHARS = 240
_SURROUND = 70
#: A word as the index splits text: Whoosh's default token pattern
#: (``whoosh.analysis.tokenizers.default_pattern``), its group made
#: non-capturing so that ``findall`` gives whole matches.
WORD = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")
_GAP = " … "
#: Matches looked at per body: the best passages are chosen among the first ones.
_ENOUGH = 24


@cache
def accent_table() -> dict[int, str]:
    """Whoosh's accent-folding table (imported on first use: Whoosh is not needed to start)."""
    from whoosh.support.charset import accent_map

    return accent_map


def fold(word: str) -> str:
    """A word as the index holds it: lower-cased, accents folded."""
    low = word.lower()
    # The accent table maps lower-case ASCII to itself: skip it for the usual word.
    return low if low.isascii() else low.translate(accent_table())


@cache
def accent_variants() -> dict[str, str]:
    """For each folded character, the characters that fold to it (é, è, ê for e)."""
    out: dict[str, set[str]] = {}
    for code, folded in accent_table().items():
        if isinstance(folded, str) and len(folded) == 1:
            out.setdefault(folded, set()).add(chr(code))
    return {k: "".join(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=256)
def words_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """A regex finding every token that may match one of the words (check with :func:`matches`).

    A word without a dot matches the whole tokens, any case, at least as long
    as it, that start with its first letter in any accented form (a stem is
    never longer than its words, nor starts with another letter): the caller
    keeps those that match. Spelling out every letter's accented forms (a
    character class each) would find no more, but is slow to compile, and a
    prefix or fuzzy query expands to tens of words; so only the first letter
    gets a class. Words with a dot (``u.s``) are spelled out in full. The
    last 256 patterns are kept (a reader runs new words all day).

    Args:
        words: Stems, or folded words marked :data:`EXACT`.
    """
    variants = accent_variants()

    def letter(ch: str) -> str:
        return f"[{re.escape(ch + variants[ch])}]" if ch in variants else re.escape(ch)

    shortest: dict[str, int] = {}
    dotted = []
    for word in sorted(w.removeprefix(EXACT) for w in words):
        if "." in word:
            dotted.append("".join(letter(ch) for ch in word) + r"[\w*]*")
        elif word:
            shortest[word[0]] = min(shortest.get(word[0], len(word)), len(word))
    pieces = [letter(first) + rf"[\w*]{{{n - 1},}}" for first, n in sorted(shortest.items())]
    alternation = "|".join(dotted + pieces) or "(?!)"
    return re.compile(rf"(?<![\w*])(?<![\w*]\.)(?:{alternation})(?![\w*]|\.[\w*])", re.IGNORECASE)


def matches(token: str, words: frozenset[str], stem=None) -> bool:
    """Whether a token is one of the words: by its stem, or as written when marked :data:`EXACT`.

    ``stem`` is :func:`index.search.schema.stem` (given by a caller that tests many tokens).
    """
    if stem is None:
        from index.search.schema import stem

    folded = fold(token)
    return stem(folded) in words or EXACT + folded in words


def clear_patterns() -> None:
    """Forget the compiled patterns (the benchmark's cold searches start without them)."""
    words_pattern.cache_clear()


def match_spans(
    text: str, words: frozenset[str], limit: int | None = None
) -> list[tuple[int, int]]:
    """``(start, end)`` of the tokens of ``text`` that match one of ``words``.

    Args:
        text: The text to scan.
        words: Stems (any form of theirs matches), or folded words marked
            :data:`EXACT` (that form only).
        limit: Stop after this many matches (None: all).
    """
    if not words or not text:
        return []
    from index.search.schema import stem

    out: list[tuple[int, int]] = []
    for m in words_pattern(words).finditer(text):
        if matches(m.group(), words, stem):
            out.append((m.start(), m.end()))
            if limit is not None and len(out) >= limit:
                break
    return out


def _merge(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Two span lists as one, by start, without overlaps."""
    out: list[tuple[int, int]] = []
    for span in sorted(set(a) | set(b)):
        if out and span[0] < out[-1][1]:
            if span[1] > out[-1][1]:
                out[-1] = (out[-1][0], span[1])
            continue
        out.append(span)
    return out


def lead(body: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a body, cut at a word, on one line."""
    if len(body) <= limit:
        return body.replace("\n", " ")
    cut = body.rfind(" ", 0, limit)
    return body[: cut if cut > limit // 2 else limit].replace("\n", " ") + " …"


def _widen(body: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _SURROUND)
    hi = min(len(body), end + _SURROUND)
    if lo > 0:
        space = body.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(body):
        space = body.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return lo, hi


def snippet(
    body: str,
    words: Iterable[str],
    top: int = 2,
    maxchars: int = SNIPPET_CHARS,
    extra: Iterable[tuple[int, int]] = (),
) -> tuple[str, list[tuple[int, int]]]:
    """The best ``top`` passages of a body around the query's words, with match offsets.

    Args:
        body: The article body.
        words: The query's words (see :func:`match_spans`).
        top: How many passages at most.
        maxchars: The longest passage.
        extra: More spans to mark (the mentions of the query's entities).

    Returns:
        The passages joined by " … " (on one line) and the offsets of the matched
        words inside it; ``("", [])`` when no word matches.
    """
    spans = match_spans(body, frozenset(words), limit=_ENOUGH)
    if extra:
        spans = _merge(spans, list(extra)[:_ENOUGH])
    if not spans:
        return "", []
    groups: list[list[tuple[int, int]]] = [[spans[0]]]
    for span in spans[1:]:
        if span[1] - groups[-1][0][0] <= maxchars - 2 * _SURROUND:
            groups[-1].append(span)
        else:
            groups.append([span])

    def score(group: list[tuple[int, int]]) -> tuple[int, int]:
        distinct = {fold(body[s:e]) for s, e in group}
        return (len(distinct), len(group))

    best = sorted(sorted(groups, key=score, reverse=True)[:top], key=lambda g: g[0][0])
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    for group in best:
        lo, hi = _widen(body, group[0][0], group[-1][1])
        if parts:
            parts.append(_GAP)
            length += len(_GAP)
        parts.append(body[lo:hi].replace("\n", " "))
        offsets.extend((length + s - lo, length + e - lo) for s, e in group)
        length += hi - lo
    return "".join(parts), offsets
