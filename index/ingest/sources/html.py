"""HTML articles (``.html``, ``.htm``) through trafilatura, with an lxml fallback.

trafilatura finds the main text and the metadata (title, date, site name,
url, author). Scripts, styles, comments and navigation never reach the body.
When trafilatura finds no main text, :func:`html_to_text` gives a baseline
(the page text without scripts, styles, navigation, footers and forms); when
that is empty too, the file is one ``no article text found`` error.

:func:`html_to_text` also renders the HTML found inside feed entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata

from index.ingest.sources.base import (
    HIDE_CONTROLS,
    SHOW_CONTROLS,
    SourceError,
    load_text,
    make_article,
)
from index.models import Article, IngestError

__all__ = ["html_to_text", "read_html"]

_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, default_doctype=False
)
# Never text: dropped with their content (the tail after them is kept).
_DROP = (
    "script", "style", "noscript", "template", "iframe", "object", "embed",
    "svg", "math", "canvas", "head", "title", "meta", "link",
)  # fmt: skip
# Page furniture, dropped only when rendering a whole page.
_DROP_PAGE = ("nav", "footer", "aside", "form", "button", "select", "dialog", "menu")
_BLOCKS = (
    "p", "div", "section", "article", "main", "header", "blockquote", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "tr", "figure", "figcaption", "address", "hr", "details", "summary",
)  # fmt: skip
# Page furniture pruned before trafilatura extracts (its baseline fallback keeps it otherwise).
_PRUNE = [f"//{tag}" for tag in (*_DROP_PAGE, "noscript", "template")]
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n[ \t]*\n\s*")


def _parse(markup: str, *, page: bool) -> Any:
    """Parse markup with lxml (bytes, so encoding declarations are harmless)."""
    data = markup.translate(HIDE_CONTROLS).encode("utf-8", "ignore")  # lone surrogates: no text
    if page:
        return lxml_html.document_fromstring(data, parser=_PARSER)
    return lxml_html.fragment_fromstring(data, create_parent="div", parser=_PARSER)


def html_to_text(markup: str, *, page: bool = False) -> str:
    """Render HTML to plain-text paragraphs with lxml (no regex parsing).

    Scripts, styles, comments and other non-text elements are dropped with
    their content; block elements become paragraph breaks and ``<br>`` a
    line break; whitespace is folded outside ``<pre>``.

    Args:
        markup: An HTML document or fragment.
        page: True for a whole page: navigation, footers, asides and forms are
            dropped too.

    Returns:
        The text, paragraphs separated by blank lines; "" when there is none
        or the markup cannot be parsed.
    """
    if not markup.strip():
        return ""
    try:
        root = _parse(markup, page=page)
    except (etree.LxmlError, ValueError):
        return ""
    if root is None:
        return ""
    drop = _DROP + _DROP_PAGE if page else _DROP
    for element in list(root.iter(*drop)):
        element.drop_tree()
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        element.drop_tree()
    # A set of live proxies: lxml returns the same proxy while it is referenced.
    in_pre = {node for pre in root.iter("pre") for node in pre.iter() if node is not pre}
    for element in root.iter():
        if isinstance(element.tag, str) and element not in in_pre:
            if element.text and element.tag != "pre":
                element.text = _SPACES.sub(" ", element.text)
            if element.tail:
                element.tail = _SPACES.sub(" ", element.tail)
    for element in root.iter(*_BLOCKS):
        element.text = "\n\n" + (element.text or "")
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter("td", "th"):
        element.tail = " | " + (element.tail or "")
    text = str(root.text_content()).translate(SHOW_CONTROLS)
    paragraphs = (part.strip() for part in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(part for part in paragraphs if part)


def _extract(markup: str) -> tuple[str, dict[str, str | None]]:
    """Run trafilatura; return the main text (paragraphs) and the metadata."""
    document = bare_extraction(
        markup.translate(HIDE_CONTROLS),
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        prune_xpath=_PRUNE,
    )
    if document is None:
        document = extract_metadata(markup.translate(HIDE_CONTROLS))
        text = ""
    else:
        text = getattr(document, "text", None) or ""
    meta = {
        "title": getattr(document, "title", None),
        "date": getattr(document, "date", None),
        "source": getattr(document, "sitename", None) or getattr(document, "hostname", None),
        "url": getattr(document, "url", None),
        "author": getattr(document, "author", None),
    }
    meta = {key: value.translate(SHOW_CONTROLS) if value else None for key, value in meta.items()}
    lines = (line.strip() for line in text.translate(SHOW_CONTROLS).split("\n"))
    return "\n\n".join(line for line in lines if line), meta


def _drop_title_line(body: str, title: str | None) -> str:
    """Remove the first paragraph when it only repeats the title."""
    if not title:
        return body
    first, _, rest = body.partition("\n\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold() and rest.strip():
        return rest
    return body


def read_html(path: Path, notes: list[str] | None = None) -> Iterator[Article | IngestError]:
    """Read one HTML page as one article.

    Args:
        path: The ``.html`` or ``.htm`` file.
        notes: Where a decoding note is appended, or None.

    Yields:
        One article, or one error.

    Raises:
        SourceError: The page holds no article text.
    """
    markup = load_text(path, notes)
    try:
        body, meta = _extract(markup)
    except Exception:  # any extractor failure: fall back to the lxml baseline below
        body, meta = "", {}
    if not body.strip():
        body = html_to_text(markup, page=True)
    if not body.strip():
        raise SourceError("no article text found")
    yield make_article(
        path=path,
        body=_drop_title_line(body, meta.get("title")),
        title=meta.get("title"),
        date=meta.get("date"),
        source=meta.get("source"),
        url=meta.get("url"),
        author=meta.get("author"),
    )
