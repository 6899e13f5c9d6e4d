"""The store as a search sees it: the :class:`~index.search.service.Corpus` of a library."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from index.models import ENTITY_FIELDS
from index.store.curation import applied_curation
from index.store.db import Store

__all__ = ["StoreCorpus"]

#: What each entity clause looks for, in words.
_CLAUSE_OF = {
    labels: field.replace("org", "organisation") for field, labels in ENTITY_FIELDS.items()
}


class StoreCorpus:
    """Answers a search's questions (entity clauses, stored texts) from one thread's store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._splits: frozenset[str] | None = None

    def ids(self, value: str, labels: tuple[str, ...] | None) -> list[int]:
        """The ids of the entities ``value`` names (of these labels, if given)."""
        return self.store.entities.find_entity_ids(value, labels)

    def why_none(self, value: str, labels: tuple[str, ...] | None) -> str | None:
        """Why ``value`` names no entity of ``labels``: the entity is hidden, or of another kind.

        Returns:
            One line saying so, with the clause or command that finds it; None
            when no entity of any kind has that name.
        """
        named = self.store.entities.find_entities(value, None, include_hidden=True)
        wanted = [e for e in named if labels is None or e.label in labels]
        hidden = next((e for e in wanted if e.hidden), None)
        if hidden is not None:
            return (
                f"{hidden.name} [{hidden.key}] is hidden; show it again with"
                f" 'newsdesk alias unhide \"{hidden.name}\"'"
            )
        other = next((e for e in named if not e.hidden and e not in wanted), None)
        if other is None or labels is None:
            return None
        kind = _CLAUSE_OF.get(labels, "/".join(labels).lower())
        clause = next((f for f, ls in ENTITY_FIELDS.items() if other.label in ls), None)
        found = f'{clause}:"{value}"' if clause else f'entity:"{other.key}"'
        return f"no {kind} is named {value!r}, but {other.name} [{other.key}] is: search {found}"

    def terms(self, ids: list[int]) -> list[str]:
        """The ``entity`` terms of these entities (split aliases included)."""
        if self._splits is None:
            self._splits = applied_curation(self.store.conn).splits
        return self.store.context.query_terms(ids, self._splits)

    def sentence_articles(self, entity_ids: list[int], other_ids: list[int]) -> set[str]:
        """The articles where one of ``other_ids`` shares a sentence with one of ``entity_ids``."""
        return self.store.context.sentence_articles(entity_ids, other_ids)

    def stems_with_prefix(self, prefix: str) -> list[str]:
        """The stems of the library's words starting with ``prefix`` whose stems do not."""
        return self.store.stems_with_prefix(prefix)

    def forms_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """Each library word starting with ``prefix`` whose stem differs, with its stem."""
        return self.store.forms_with_prefix(prefix)

    def stems_of(self, words: Iterable[str]) -> list[str]:
        """The stems of those of ``words`` the library holds with another stem."""
        return self.store.stems_of(words)

    def texts(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """The stored title and body of these articles, in order."""
        return self.store.texts(list(article_ids))

    def body(self, article_id: str) -> str | None:
        """An article's stored body, or None."""
        return self.store.body(article_id)

    def mention_spans(self, article_id: str, entity_ids: list[int]) -> list[tuple[int, int]]:
        """The offsets of these entities' mentions in an article's body."""
        return self.store.mention_spans(article_id, entity_ids)
