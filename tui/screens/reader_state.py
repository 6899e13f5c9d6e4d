"""The reading state saved in the library between launches."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tui.screens.history import History

__all__ = ["ReaderState"]


@dataclass
class ReaderState:
    """What the reader showed when it last saved: restored at the next launch.

    Stored as JSON with ``Library.set_state("reader", ...)``; a missing or
    damaged value gives the defaults (the newest articles).

    Attributes:
        query: The last search query ("" for the newest articles).
        highlighted: The highlighted result of that search.
        article: The open article, or None when the results were shown.
        anchor: The body offset at the top of the article view.
        cursor: The body offset of the entity under the cursor, or None.
    """

    query: str = ""
    highlighted: int = 0
    article: str | None = None
    anchor: int = 0
    cursor: int | None = None

    #: The name of the value in the library's state table.
    NAME = "reader"
    #: The version of the JSON layout.
    VERSION = 1

    @classmethod
    def from_history(cls, history: History, query: str) -> ReaderState:
        """Describe the current place of a reader's history.

        Args:
            history: The history (its current entry up to date).
            query: The search bar's text, used when the history has no search.

        Returns:
            The last search (and its highlighted result), plus the open
            article when the current place is one.
        """
        search = history.last_search()
        state = cls(
            query=search.query if search else query,
            highlighted=search.highlighted if search else 0,
        )
        current = history.current
        if current is not None and current.kind == "article" and current.article_id:
            state.article, state.anchor = current.article_id, current.anchor
            state.cursor = current.cursor
        return state

    def to_json(self) -> str:
        """Encode the state.

        Returns:
            A JSON object.
        """
        return json.dumps({"version": self.VERSION, **asdict(self)})

    @classmethod
    def from_json(cls, raw: str | None) -> ReaderState:
        """Decode a saved state, ignoring anything of the wrong type.

        Args:
            raw: The saved JSON, or None.

        Returns:
            The state (defaults for what is missing or wrong).
        """
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}

        def get(name: str, kind: type, default: Any) -> Any:
            value = data.get(name, default)
            return value if isinstance(value, kind) and not isinstance(value, bool) else default

        return cls(
            query=get("query", str, ""),
            highlighted=max(0, get("highlighted", int, 0)),
            article=get("article", str, None) or None,
            anchor=max(0, get("anchor", int, 0)),
            cursor=get("cursor", int, None),
        )
