"""Helpers that turn corpus text into safe, styled :class:`Content`.

Every string that comes from the corpus (titles, bodies, snippets, entity
names, sources, error messages) reaches a widget through :func:`text`: it is
never parsed as markup, and styles are applied by offsets only.

Entity kinds are grouped in families; each family has an ANSI-16 colour (so
16-colour terminals show it, and Textual's dark and light ANSI palettes keep
it readable) plus a distinct combination of bold / underline / italic, so the
kinds stay distinguishable with ``NO_COLOR`` or on a monochrome terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from index.models import Entity
from index.safe_text import DISPLAY_UNSAFE, one_line, plural

__all__ = [
    "CURSOR_STYLE",
    "ENTITY_COLUMNS",
    "FAMILIES",
    "FIND_CURRENT_STYLE",
    "FIND_STYLE",
    "MATCH_STYLE",
    "family_of",
    "family_style",
    "highlight",
    "KIND_NAMES",
    "entity_header",
    "entity_row",
    "fit",
    "kind_name",
    "kind_style",
    "one_line",
    "other_aliases",
    "plural",
    "safe",
    "short_date",
    "text",
    "wrap_ranges",
]

#: Entity family name -> (style, spaCy labels).
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "person": ("bold ansi_magenta", ("PERSON",)),
    "org": ("underline ansi_cyan", ("ORG",)),
    "place": ("bold underline ansi_green", ("GPE", "LOC", "FAC")),
    "norp": ("italic ansi_yellow", ("NORP",)),
    "other": ("italic underline ansi_blue", ("EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")),
    "numeric": (
        "bold italic ansi_red",
        ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"),
    ),
}

_LABEL_FAMILY = {label: name for name, (_, labels) in FAMILIES.items() for label in labels}

#: Each spaCy label in plain words, as the reader shows a kind (the codes stay
#: in keys, JSON and ``--explain``).
KIND_NAMES: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "location",
    "FAC": "facility",
    "NORP": "nationality or group",
    "EVENT": "event",
    "PRODUCT": "product",
    "WORK_OF_ART": "work of art",
    "LAW": "law",
    "LANGUAGE": "language",
    "DATE": "date",
    "TIME": "time",
    "PERCENT": "percentage",
    "MONEY": "money",
    "QUANTITY": "quantity",
    "ORDINAL": "ordinal",
    "CARDINAL": "number",
}

#: Shorter names where a kind has a column of :data:`ENTITY_COLUMNS`.
_SHORT_KIND_NAMES = {"NORP": "nationality"}

#: The entity under the cursor.
CURSOR_STYLE = "reverse"
#: Matched words in result titles and snippets, and a mention inside its sentence.
MATCH_STYLE = "bold underline ansi_yellow"
#: Every find-in-article match.
FIND_STYLE = "bold underline on ansi_yellow"
#: The current find-in-article match.
FIND_CURRENT_STYLE = "bold reverse"


def safe(value: object) -> str:
    """Make a corpus string safe to display, keeping its length.

    Args:
        value: Any value (None gives "").

    Returns:
        The string with control characters replaced by spaces, one for one
        (:data:`index.safe_text.DISPLAY_UNSAFE`), so offsets into it stay valid.
    """
    if value is None:
        return ""
    return DISPLAY_UNSAFE.sub(" ", str(value))


def text(value: object, style: str = "") -> Content:
    """Build plain (never markup-parsed) content from a corpus string.

    Args:
        value: The string (None gives empty content).
        style: An optional style for the whole text.

    Returns:
        The content.
    """
    content = Content(safe(value), strip_control_codes=False)
    return content.stylize(style) if style else content


def family_of(label: str) -> str:
    """Return the family name of an entity label.

    Args:
        label: A spaCy label such as ``PERSON`` or ``GPE``.

    Returns:
        The family name (``"other"`` for labels not listed).
    """
    return _LABEL_FAMILY.get(label, "other")


def family_style(family: str) -> str:
    """Return the style of a family.

    Args:
        family: A key of :data:`FAMILIES`.

    Returns:
        The style string.
    """
    return FAMILIES.get(family, FAMILIES["other"])[0]


def kind_name(label: str, *, short: bool = False) -> str:
    """A spaCy label in plain words ("organisation" for ``ORG``; an unknown label as it is).

    Args:
        label: A spaCy label.
        short: The name that fits an entity list's kind column.
    """
    if short and label in _SHORT_KIND_NAMES:
        return _SHORT_KIND_NAMES[label]
    return KIND_NAMES.get(label, safe(label).lower())


def kind_style(label: str) -> str:
    """Return the style of an entity label.

    Args:
        label: A spaCy label.

    Returns:
        The style string of its family.
    """
    return family_style(family_of(label))


def short_date(date: str | None) -> str:
    """Return the date part of an ISO date or datetime.

    Args:
        date: An ISO 8601 string or None.

    Returns:
        ``YYYY-MM-DD`` (or the value as given if shorter), "no date" for None.
    """
    if not date:
        return "no date"
    return safe(date)[:10]


def highlight(content: Content, ranges: Iterable[tuple[int, int]], style: str) -> Content:
    """Style ranges of a content.

    Args:
        content: The content.
        ranges: ``(start, end)`` offsets; out-of-range parts are ignored.
        style: The style to apply.

    Returns:
        The styled content.
    """
    length = len(content)
    for start, end in ranges:
        start, end = max(0, int(start)), min(length, int(end))
        if end > start:
            content = content.stylize(style, start, end)
    return content


def cut_point(value: str, limit: int, spans: Iterable[tuple[int, int]] = ()) -> int:
    """Where to cut a text to at most ``limit`` characters: at a space, never inside a span.

    Args:
        value: The text.
        limit: The most characters kept.
        spans: ``(start, end)`` offsets not to cut into (highlighted words).

    Returns:
        ``len(value)`` when it fits, else the offset to cut at (a word cut
        only when no space comes before it in the text's second half).
    """
    if len(value) <= limit:
        return len(value)
    cut = limit
    for start, end in sorted(spans):
        if start < cut < end:
            cut = start
    space = value.rfind(" ", 0, cut + 1)
    if space > limit // 2:
        return space
    return cut if cut > 0 else limit


_WORD = re.compile(r"\S+\s*|\s+")


def wrap_ranges(value: str, width: int) -> list[tuple[int, int]]:
    """Word-wrap a text into lines, as offsets into the text.

    Lines break at newlines and between words; a word wider than the line is
    broken between characters. Trailing spaces stay on the line they follow.

    Args:
        value: The text.
        width: The line width in cells (at least 1 is used).

    Returns:
        ``(start, end)`` offsets of each line; an empty paragraph gives an
        empty range. Always at least one line.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    position = 0
    for paragraph in value.split("\n"):
        base = position
        position += len(paragraph) + 1
        if not paragraph:
            lines.append((base, base))
            continue
        line_start = base
        line_cells = 0
        for match in _WORD.finditer(paragraph):
            word_start = base + match.start()
            word = match.group()
            stripped = word.rstrip()
            word_cells = cell_len(stripped)
            if line_cells and line_cells + word_cells > width:
                lines.append((line_start, word_start))
                line_start, line_cells = word_start, 0
            if word_cells > width:
                # Hard-break a long word between characters.
                for offset, char in enumerate(stripped):
                    char_cells = cell_len(char)
                    if line_cells and line_cells + char_cells > width:
                        lines.append((line_start, word_start + offset))
                        line_start, line_cells = word_start + offset, 0
                    line_cells += char_cells
                line_cells += cell_len(word) - word_cells
            else:
                line_cells += cell_len(word)
        lines.append((line_start, base + len(paragraph)))
    return lines


#: Widths of the name, kind, articles and mentions columns of :func:`entity_row`.
ENTITY_COLUMNS = (28, 13, 9, 9)


def fit(value: str, width: int, *, right: bool = False) -> str:
    """Pad or crop a string to exactly ``width`` cells (cropped with "…").

    Args:
        value: The string (already made safe).
        width: The width in cells.
        right: Align to the right when padding.

    Returns:
        The string, ``width`` cells wide.
    """
    if cell_len(value) > width:
        return set_cell_size(value, max(0, width - 1)) + "…"
    padding = " " * (width - cell_len(value))
    return padding + value if right else value + padding


def other_aliases(entity: Entity, limit: int = 3) -> str:
    """Name an entity's top surface forms other than its display name.

    Args:
        entity: The entity (with its aliases filled in).
        limit: At most this many.

    Returns:
        ``"Blinken ×3, Tony ×1"`` ("" when it has no other form).
    """
    name = entity.name.casefold()
    others = [(alias, count) for alias, count in entity.aliases if alias.casefold() != name]
    return ", ".join(f"{safe(alias)} ×{count}" for alias, count in others[:limit])


def entity_header(extra: str = "Also written") -> Content:
    """The column titles above a list of :func:`entity_row` lines.

    Args:
        extra: The title of the last column.

    Returns:
        A dim line.
    """
    name, kind, articles, mentions = ENTITY_COLUMNS
    return text(
        fit("Name", name)
        + " "
        + fit("Kind", kind)
        + fit("Articles", articles, right=True)
        + fit("Mentions", mentions, right=True)
        + "  "
        + extra,
        "dim",
    )


def entity_row(entity: Entity) -> Content:
    """One line about an entity: name, kind, articles, mentions, other names.

    Args:
        entity: The entity (corpus text: never parsed as markup).

    Returns:
        The line, in columns of :data:`ENTITY_COLUMNS` cells; the name in its
        kind's style, a hidden entity marked.
    """
    name_width, kind_width, articles_width, mentions_width = ENTITY_COLUMNS
    name = safe(entity.name) or entity.key
    if entity.hidden:
        room = name_width - len(" (hidden)")
        name = (fit(name, room) if cell_len(name) > room else name) + " (hidden)"
    parts = [
        text(fit(name, name_width), "dim strike" if entity.hidden else kind_style(entity.label)),
        text(" " + fit(kind_name(entity.label, short=True), kind_width), "dim"),
        text(fit(str(entity.articles), articles_width, right=True)),
        text(fit(str(entity.mentions), mentions_width, right=True)),
    ]
    aliases = other_aliases(entity)
    if aliases:
        parts.append(text("  " + aliases, "dim"))
    return Content.assemble(*parts)
