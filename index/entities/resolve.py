"""Resolution inside one article: surface forms to the names they stand for.

A pure function of an enriched article, run when it is written. Every named
mention gets its own normal form (its *alias*) and the name it resolves to in
this article (its *auto* name): a PERSON (or ORG, which spaCy often gives to a
lone surname) mention whose words are the trailing words of exactly one longer
PERSON name in the same article, or a single word that starts exactly one
(surname-first names), resolves to that name ("Blinken" to "Antony Blinken",
"Yang" to "Yang Jiechi", "Wang" to "Wang Yi"). Joining names across articles (equal normal
forms, built-in equivalents, the user's merges) and the label vote happen in
the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from index.entities.names import canonical_name, normal_form
from index.models import NAMED_LABELS, EnrichedArticle

__all__ = ["NAMED_SPACE", "Resolved", "resolve_article"]

#: The name space shared by every named label (PERSON, ORG, GPE, ...): one name
#: is one entity whatever label spaCy gave it; the majority label wins. Other
#: labels (DATE, MONEY, ...) each keep a space of their own, named by the label.
NAMED_SPACE = ""

_NAMED = frozenset(NAMED_LABELS)
_RESOLVABLE = frozenset({"PERSON", "ORG"})


@dataclass(slots=True, frozen=True)
class Resolved:
    """One mention, resolved inside its article.

    Attributes:
        start: Offset in the body.
        end: End offset in the body.
        label: The label spaCy gave this mention.
        space: :data:`NAMED_SPACE` for named labels, else the label.
        alias: Normal form of the surface form.
        alias_display: The surface form as a display name.
        auto: Normal form of the name it stands for in this article.
        auto_display: That name as a display name.
    """

    start: int
    end: int
    label: str
    space: str
    alias: str
    alias_display: str
    auto: str
    auto_display: str


def resolve_article(item: EnrichedArticle) -> list[Resolved]:
    """Resolve an article's entity spans.

    Spans whose surface form has no name left (only punctuation) are dropped;
    so are overlapping spans after the first.

    Args:
        item: The article with its entity spans.

    Returns:
        The resolved mentions, by start offset.
    """
    body = item.article.body
    base: list[tuple[int, int, str, str, str]] = []
    last_end = -1
    for span in sorted(item.entities, key=lambda s: (s.start, -s.end)):
        if span.start < last_end or not 0 <= span.start < span.end <= len(body):
            continue
        display, norm = _names(body[span.start : span.end])
        if not norm:
            continue
        last_end = span.end
        base.append((span.start, span.end, span.label, norm, display))
    people: dict[str, str] = {}
    for _s, _e, label, norm, display in base:
        if label == "PERSON" and " " in norm:
            people.setdefault(norm, display)
    out: list[Resolved] = []
    for start, end, label, norm, display in base:
        space = NAMED_SPACE if label in _NAMED else label
        auto, auto_display = norm, display
        if label in _RESOLVABLE:
            longer = _longer_names(norm, people)
            if len(longer) == 1:
                auto = longer[0]
                auto_display = people[auto]
        out.append(Resolved(start, end, label, space, norm, display, auto, auto_display))
    return out


def _names(surface: str) -> tuple[str, str]:
    """A surface form's display name and normal form (cached: most mentions repeat a few forms).

    Surfaces over 200 characters (a mis-tagged stretch of text) are not cached, so
    the cache's memory stays bounded.
    """
    if len(surface) > 200:
        return _names_of(surface)
    return _cached_names(surface)


def _names_of(surface: str) -> tuple[str, str]:
    display = canonical_name(surface)
    return display, normal_form(display)


_cached_names = lru_cache(maxsize=1 << 16)(_names_of)


def _longer_names(norm: str, people: dict[str, str]) -> list[str]:
    """The PERSON names of the article that ``norm`` can stand for.

    Those that end with its words, and for a single word also those that start
    with it (a surname written first, as in "Yang Jiechi").
    """
    suffix = " " + norm
    prefix = norm + " "
    single = " " not in norm
    return [
        name for name in people if name.endswith(suffix) or (single and name.startswith(prefix))
    ]
