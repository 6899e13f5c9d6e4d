"""Which of the entities a user's value names it names best (``newsdesk entity NAME``)."""

from __future__ import annotations

from index.entities.names import normal_form
from index.errors import AmbiguousEntity, LibraryError
from index.models import Entity

__all__ = ["best_matches", "pick_entity"]


def best_matches(found: list[Entity], value: str) -> list[Entity]:
    """Of the entities a value names, those it names best.

    An exact key beats an entity whose own (root) name is the value, which
    beats a display name, which beats an alias.
    """
    norm = normal_form(value)
    for test in (
        lambda e: e.key.casefold() == value.strip().casefold(),
        lambda e: e.key.partition(":")[2] == norm,
        lambda e: e.name.casefold() == value.strip().casefold(),
    ):
        chosen = [e for e in found if test(e)]
        if chosen:
            return chosen
    return found


def pick_entity(found: list[Entity], value: str) -> Entity:
    """The one entity of :func:`best_matches`, or a one-line error.

    Raises:
        LibraryError: None found.
        AmbiguousEntity: Several, equally good.
    """
    if not found:
        raise LibraryError(f"no entity is named {value!r} (try 'newsdesk entities')")
    best = best_matches(found, value)
    if len(best) > 1:
        keys = "; ".join(f"{e.key} ({e.articles} articles)" for e in best[:6])
        raise AmbiguousEntity(f"{value!r} names several entities, give a key: {keys}")
    return best[0]
