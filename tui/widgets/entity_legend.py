"""The legend of entity kinds shown under an article."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Static

from tui.widgets._render import FAMILIES, kind_name, kind_style, text

__all__ = ["EntityLegend"]

_ORDER = {
    label: index
    for index, label in enumerate(label for _, labels in FAMILIES.values() for label in labels)
}


class EntityLegend(Static):
    """One line naming each entity kind in the article, in its own style.

    The kind names themselves carry the style, so the legend reads without
    colour too (bold, underline, italic per family).
    """

    DEFAULT_CSS = """
    EntityLegend { height: 1; padding: 0 1; }
    """

    def show_labels(self, labels: Iterable[str]) -> None:
        """Show the kinds present.

        Args:
            labels: The spaCy labels of the article's entities.
        """
        present = sorted(set(labels), key=lambda label: (_ORDER.get(label, 99), label))
        if not present:
            self.update(text("no entities", "dim"))
            return
        parts: list[Content] = [text("Kinds: ", "dim")]
        for index, label in enumerate(present):
            if index:
                parts.append(Content(" "))
            parts.append(text(kind_name(label, short=True), kind_style(label)))
        self.update(Content.assemble(*parts))
