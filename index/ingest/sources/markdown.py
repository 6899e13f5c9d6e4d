"""Markdown articles (``.md``, ``.markdown``) rendered to plain text with markdown-it-py.

Optional front matter (``---`` ... ``---`` with simple ``key: value`` lines)
gives metadata. The title is the front-matter title or else the first level-1
heading, which is then removed from the body. The body is rendered from the
markdown-it token stream: headings and paragraphs become paragraphs, list
items their own lines, links keep their text, code is kept as text, raw HTML
and images are dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index.ingest.sources.base import HIDE_CONTROLS, SHOW_CONTROLS, load_text, make_article
from index.models import Article, IngestError

__all__ = ["read_markdown", "render_markdown", "split_front_matter"]

_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_KEYS = {
    "title": "title",
    "date": "date",
    "published": "date",
    "source": "source",
    "url": "url",
    "link": "url",
    "author": "author",
}
_MAX_FRONT_LINES = 200


@functools.cache
def _parser() -> MarkdownIt:
    """Build (once) a CommonMark parser with tables; the preset caps nesting at 20."""
    return MarkdownIt("commonmark").enable("table")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split simple YAML-like front matter from a markdown text.

    Args:
        text: The decoded markdown (a BOM already removed).

    Returns:
        The recognised metadata (title, date, source, url, author) and the
        remaining markdown. Text without front matter comes back unchanged.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for index, line in enumerate(lines[1 : _MAX_FRONT_LINES + 1], start=1):
        if line.strip() in ("---", "..."):
            return meta, "\n".join(lines[index + 1 :])
        match = _FRONT_KEY.fullmatch(line.strip())
        if match and match.group(1).lower() in _KEYS:
            key = _KEYS[match.group(1).lower()]
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if value and key not in meta:
                meta[key] = value
    return {}, text  # no closing fence: not front matter


def _inline_text(children: Sequence[Token] | None) -> str:
    """Render an inline token's children to plain text."""
    parts: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        # html_inline, image and the *_open / *_close markers carry no text of their own
    return "".join(parts)


def render_markdown(markdown: str, *, take_title: bool) -> tuple[str | None, str]:
    """Render markdown to plain-text paragraphs.

    Args:
        markdown: The markdown source (front matter removed).
        take_title: Remove the first level-1 heading from the body and return it.

    Returns:
        The first level-1 heading (when ``take_title``) or None, and the body
        with paragraphs separated by blank lines and list items on their own lines.
    """
    tokens = _parser().parse(markdown.translate(HIDE_CONTROLS))  # markdown-it turns NUL into U+FFFD
    title: str | None = None
    blocks: list[str] = []
    list_lines: list[str] = []
    row: list[str] = []
    table: list[str] = []
    depth = 0
    in_table = False
    prefix = ""
    skip_inline = False
    for token in tokens:
        kind = token.type
        if kind == "heading_open" and token.tag == "h1" and take_title and title is None:
            skip_inline = True
        elif kind == "inline":
            text = _inline_text(token.children)
            if skip_inline:
                title, skip_inline = text, False
            elif in_table:
                row.append(text)
            elif depth:
                list_lines.append("  " * (depth - 1) + prefix + text)
                prefix = ""
            elif text.strip():
                blocks.append(text)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and list_lines:
                blocks.append("\n".join(list_lines))
                list_lines = []
        elif kind == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else "• "
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            if depth:
                list_lines.append(code)
            elif code.strip():
                blocks.append(code)
        elif kind == "table_open":
            in_table = True
        elif kind == "table_close":
            in_table = False
            blocks.append("\n".join(table))
            table = []
        elif kind == "tr_close":
            table.append(" | ".join(row))
            row = []
    body = "\n\n".join(blocks).translate(SHOW_CONTROLS)
    return (title.translate(SHOW_CONTROLS) if title is not None else None), body


def read_markdown(path: Path, notes: list[str] | None = None) -> Iterator[Article | IngestError]:
    """Read one markdown article.

    Args:
        path: The ``.md`` or ``.markdown`` file.
        notes: Where a decoding note is appended, or None.

    Yields:
        One article, or one error.
    """
    meta, markdown = split_front_matter(load_text(path, notes))
    heading, body = render_markdown(markdown, take_title="title" not in meta)
    yield make_article(
        path=path,
        body=body,
        title=meta.get("title") or heading,
        date=meta.get("date"),
        source=meta.get("source"),
        url=meta.get("url"),
        author=meta.get("author"),
    )
