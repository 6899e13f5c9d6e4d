"""Entity naming: canonical names and stable keys, as pure functions.

The key of an entity is ``LABEL:folded canonical name``; it is computed here,
once, at index time, and carried unchanged to every reader.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["canonical_name", "entity_key", "fold"]

_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_ACRONYM = re.compile(r"^(?:\w\.){2,}$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?-–—*#@/\\|"


def canonical_name(text: str) -> str:
    """The display name of an entity from one surface form.

    Drops a leading "the", a trailing possessive ('s, ’s) and surrounding
    punctuation, and folds inner whitespace.

    Args:
        text: The mention's surface text.

    Returns:
        The canonical name ("" if nothing is left).
    """
    name = " ".join(text.split())
    previous = None
    while name != previous:
        previous = name
        name = name.strip(_EDGE_PUNCT.replace(".", "") + " ")
        if not _ACRONYM.match(name):
            name = name.strip(_EDGE_PUNCT + " ")
        name = _LEADING_THE.sub("", name)
        if _POSSESSIVE.search(name) and len(name) > 3:
            name = name[:-2]
    return name


def fold(name: str) -> str:
    """Case-fold a name for comparison and keys (NFKC, casefold, single spaces)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def entity_key(label: str, name: str) -> str:
    """The stable key of an entity: its label and its folded canonical name."""
    return f"{label}:{fold(name)}"
