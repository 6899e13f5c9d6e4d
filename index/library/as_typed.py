"""The query a search box runs while its user is still typing it."""

from __future__ import annotations

import re

__all__ = ["as_typed"]

#: A word of letters and digits only: what the user may still be typing.
_WORD = re.compile(r"[^\W_]{2,}")

_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def as_typed(text: str) -> str:
    """``text`` with its last word, which the user may still be typing, also as a prefix.

    ``blinken osa`` becomes ``blinken (osa OR osa*)``, so that ``osa``
    already finds Osama while the word itself still counts. The text is
    left as it is when it ends in a space (the word is finished), when the
    last word is inside quotes, is a field's value, an operator or a pattern
    already, or has fewer than two letters (as a prefix must). A submitted
    query keeps its strict meaning: only the search box's live results use
    this.
    """
    if not text or text[-1].isspace() or text.count('"') % 2:
        return text
    head, last = re.split(r"(\S+)$", text, maxsplit=1)[:2]
    if last in _OPERATORS or not _WORD.fullmatch(last):
        return text
    return f"{head}({last} OR {last}*)"
