"""Browser-like history over searches and articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["History"]


class History:
    """A list of places with a current position; ``back`` and ``forward`` move in it.

    Visiting a new place drops the places after the current one, as a web
    browser does. The current place is updated in place (scroll position,
    cursor, highlighted result) before leaving it, so going back restores it.
    """

    @dataclass
    class Entry:
        """One place: a search (its query and highlighted result) or an article.

        Attributes:
            kind: ``"search"`` or ``"article"``.
            query: The query (searches).
            highlighted: The highlighted result (searches).
            article_id: The article (articles).
            anchor: The body offset at the top of the view (articles).
            cursor: The body offset of the entity under the cursor (articles).
            mark: A highlighted mention range (articles opened from a mention).
            settled: A search that was left: typing again starts a new entry.
        """

        kind: Literal["search", "article"]
        query: str = ""
        highlighted: int = 0
        article_id: str | None = None
        anchor: int = 0
        cursor: int | None = None
        mark: tuple[int, int] | None = None
        settled: bool = False

    #: The most places kept.
    LIMIT = 200

    def __init__(self) -> None:
        """Create an empty history."""
        self.entries: list[History.Entry] = []
        self.index = -1

    @property
    def current(self) -> History.Entry | None:
        """The current place, or None when empty."""
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    def visit(self, entry: History.Entry) -> History.Entry:
        """Go to a new place, dropping any forward places.

        Args:
            entry: The new place.

        Returns:
            The entry.
        """
        if self.current is not None:
            self.current.settled = True
        del self.entries[self.index + 1 :]
        self.entries.append(entry)
        if len(self.entries) > self.LIMIT:
            del self.entries[: len(self.entries) - self.LIMIT]
        self.index = len(self.entries) - 1
        return entry

    def last_search(self) -> History.Entry | None:
        """Return the current place if it is a search, else the latest search before it.

        Returns:
            The search, or None when there is none.
        """
        return next(
            (entry for entry in reversed(self.entries[: self.index + 1]) if entry.kind == "search"),
            None,
        )

    @property
    def can_go_back(self) -> bool:
        """Whether a previous place exists."""
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        """Whether a next place exists."""
        return self.index < len(self.entries) - 1

    def back(self) -> History.Entry | None:
        """Move to the previous place.

        Returns:
            That place, or None at the start.
        """
        if not self.can_go_back:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> History.Entry | None:
        """Move to the next place.

        Returns:
            That place, or None at the end.
        """
        if not self.can_go_forward:
            return None
        self.index += 1
        return self.current
