"""The entity half of the library's read API: entities and their mentions."""

from __future__ import annotations

from collections.abc import Iterable

from index.entities.matching import pick_entity
from index.models import NAMED_LABELS, Entity, EntityPage, Mention
from index.store.curation import applied_curation
from index.store.db import Store

__all__ = ["EntityQueries"]


class EntityQueries:
    """Entity and mention reads, answered by the calling thread's read-only store.

    A mix-in of :class:`~index.library.facade.Library`, which provides ``_store``.
    """

    def _store(self) -> Store:  # pragma: no cover - provided by Library
        raise NotImplementedError

    def entity(self, key: str, *, aliases: int = 5) -> Entity | None:
        """One entity by key (hidden ones too, flagged), with its top aliases."""
        return self._store().entities.entity(key, aliases)

    def find_entities(
        self,
        name_or_key: str,
        *,
        labels: Iterable[str] | None = None,
        include_hidden: bool = False,
    ) -> list[Entity]:
        """Entities a key, a name, any alias or a display name names (most articles first)."""
        found = self._store().entities.find_entities(
            name_or_key, None if labels is None else tuple(labels), include_hidden
        )
        return found

    def resolve_entity(self, value: str, *, include_hidden: bool = False) -> Entity:
        """The one entity a key or name names.

        Raises:
            LibraryError: Nothing is named so.
            AmbiguousEntity: Several entities are, equally well (the message lists keys).
        """
        found = self.find_entities(value, include_hidden=include_hidden)
        return pick_entity(found, value)

    def entities(
        self,
        *,
        labels: Iterable[str] | None = NAMED_LABELS,
        limit: int = 100,
        offset: int = 0,
        sort: str = "articles",
        contains: str = "",
        include_hidden: bool = False,
        aliases: int = 3,
    ) -> list[Entity]:
        """Entities sorted by ``articles``, ``mentions`` or ``name``.

        Args:
            labels: Only these kinds (None: every kind, dates and numbers too).
            limit: At most this many.
            offset: Skip this many.
            sort: ``articles``, ``mentions`` or ``name``.
            contains: Keep entities whose name or an alias contains this text.
            include_hidden: Include entities the user hid.
            aliases: How many top aliases to fill in per entity.
        """
        return self._store().entities.listing(
            labels,
            limit,
            offset,
            sort=sort,
            contains=contains,
            include_hidden=include_hidden,
            aliases=aliases,
        )

    def entity_page(self, key: str, *, cooccurring: int = 10) -> EntityPage | None:
        """Everything the entity page shows: aliases, labels, timeline, co-occurring entities."""
        store = self._store()
        ent_id = store.entities.entity_id(key)
        if ent_id is None:
            return None
        entity = store.entities.entity_by_id(ent_id, 5)
        if entity is None:
            return None
        timeline, undated = store.context.timeline(ent_id)
        return EntityPage(
            entity=entity,
            aliases=store.entities.aliases(ent_id),
            labels=store.entities.labels(ent_id),
            timeline=timeline,
            cooccurring=store.context.cooccurring(ent_id, cooccurring),
            undated=undated,
        )

    def explain_entity(self, name_or_key: str) -> list[str]:
        """Why the entities a name names are what they are, as lines of text."""
        from index.store.explain import explain_lines

        store = self._store()
        return explain_lines(store, applied_curation(store.conn), name_or_key)

    def mentions(
        self, key: str, *, limit: int = 50, offset: int = 0, exclude_article: str | None = None
    ) -> list[Mention]:
        """Mentions of an entity with their sentences, newest articles first."""
        return self._store().entities.mentions(key, limit, offset, exclude_article)

    def count_mentions(self, key: str, exclude_article: str | None = None) -> int:
        """How many mentions an entity has (outside one article, if given)."""
        return self._store().entities.count_mentions(key, exclude_article)
