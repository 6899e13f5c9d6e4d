"""The one text-cleaning function used at ingest.

Every piece of corpus text (titles, bodies, sources, authors, urls) passes
through :func:`clean_text` or :func:`clean_line` exactly once, before NER, so
that the stored text is exactly what is shown and every entity offset refers
to it. Cleaning removes everything a terminal would interpret
(:func:`index.safe_text.strip_controls`):

* whole escape sequences: CSI (``ESC [`` and C1 ``0x9B``), OSC, DCS, SOS, PM
  and APC strings (7-bit and C1 introducers, up to their terminator), and the
  short two- and three-byte ``ESC`` sequences;
* every remaining C0 and C1 control except newline (and tab, which becomes a
  space), DEL, bidi overrides, embeddings, isolates and marks, byte-order
  marks and lone surrogates.

It also turns CRLF and lone CR into LF, applies Unicode NFC and tidies
whitespace (runs of spaces folded, line ends stripped, at most one blank line).
"""

from __future__ import annotations

import re
import unicodedata

from index.safe_text import one_line, strip_controls

__all__ = ["clean_line", "clean_text"]

_H_SPACE = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*[ \t][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Clean a multi-line text (an article body) for storage and display.

    Args:
        text: Raw decoded text from any source.

    Returns:
        The text with terminal controls removed, NFC-normalised and with tidy
        whitespace: single spaces inside lines, no trailing spaces, at most
        one blank line between paragraphs, no leading or trailing blank lines.
        The function is idempotent.
    """
    text = unicodedata.normalize("NFC", strip_controls(text))
    lines = [_H_SPACE.sub(" ", line).strip(" ") for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def clean_line(text: str) -> str:
    """Clean a one-line value (a title, a source, an author, a url).

    Args:
        text: Raw decoded text.

    Returns:
        The cleaned text with each stretch of whitespace, newlines included,
        folded to one space: :func:`index.safe_text.one_line` with no limit.
    """
    return one_line(text)
