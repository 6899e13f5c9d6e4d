"""Entity names as pure functions: display names, normal forms, built-in equivalents.

Two surface forms name the same thing when their normal forms are equal: the
normal form ignores case, accents, punctuation, a leading "the", a trailing
possessive and the dots of an acronym ("U.S." is "US"). The built-in table of
equivalents (``index/entities/data/equivalents.toml``) joins the rest (US, United States,
USA); a library's ``aliases.toml`` extends or overrides it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

__all__ = [
    "Equivalents",
    "canonical_name",
    "entity_key",
    "equivalents",
    "normal_form",
    "split_key",
]

_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_ACRONYM = re.compile(r"^(?:\w\.){2,}$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?-–—*#@/\\|"
_VANISH = re.compile(r"[.'’‘`´]")
_SEPARATE = re.compile(r"[^\w]+|_+")


def canonical_name(text: str) -> str:
    """The display form of one surface form.

    Drops a leading "the", a trailing possessive ('s, ’s) and surrounding
    punctuation, and folds inner whitespace.

    Args:
        text: The mention's surface text.

    Returns:
        The display name ("" if nothing is left).
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


def normal_form(text: str) -> str:
    """The normal form of a name: what two spellings of one name share.

    Case, accents, punctuation, a leading "the", a trailing possessive and the
    dots of acronyms are ignored: ``normal_form("the U.S.'s") == "us"`` and
    ``normal_form("World Health Organization’s") == "world health organization"``.

    Args:
        text: A surface form or a name.

    Returns:
        Lower-case words separated by single spaces ("" if none).
    """
    name = canonical_name(text)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _VANISH.sub("", name.casefold())
    return " ".join(_SEPARATE.sub(" ", name).split())


def entity_key(label: str, norm: str) -> str:
    """The stable key of an entity: its label and the normal form of its root name."""
    return f"{label}:{norm}"


def split_key(value: str) -> tuple[str, str] | None:
    """Split ``LABEL:name`` into the label and the name's normal form, or None."""
    label, sep, rest = value.partition(":")
    if not sep or not label or not re.fullmatch(r"[A-Za-z_]+", label) or not rest.strip():
        return None
    return label.upper(), normal_form(rest) or rest.strip().casefold()


class Equivalents:
    """The built-in table: each name's normal form to its group's first name.

    Attributes:
        root: Normal form of a name to the normal form of its group's first name.
        display: Normal form of a group's first name to how it is written.
    """

    def __init__(self, groups: list[list[str]]) -> None:
        self.root: dict[str, str] = {}
        self.display: dict[str, str] = {}
        for group in groups:
            names = [n for n in group if isinstance(n, str) and normal_form(n)]
            if not names:
                continue
            head = normal_form(names[0])
            self.display[head] = canonical_name(names[0])
            for name in names[1:]:
                norm = normal_form(name)
                if norm != head:
                    self.root.setdefault(norm, head)


@cache
def equivalents() -> Equivalents:
    """The built-in table of equivalents, read once from the package data."""
    text = resources.files("index.entities").joinpath("data/equivalents.toml").read_text("utf-8")
    return Equivalents(tomllib.loads(text).get("groups", []))
