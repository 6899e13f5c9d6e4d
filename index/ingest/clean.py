"""The one text-cleaning function used at ingest.

Every piece of corpus text (titles, bodies, sources, authors, urls) passes
through :func:`clean_text` or :func:`clean_line` exactly once, before NER, so
that the stored text is exactly what is shown and every entity offset refers
to it. Cleaning removes everything a terminal would interpret:

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

__all__ = ["clean_line", "clean_text", "escape_unsafe", "has_unsafe_chars"]

# String sequences: OSC, DCS, SOS, PM, APC, with 7-bit or C1 introducers, ended by
# BEL, ST (ESC \ or 0x9C), or, when never terminated, by the end of the line.
_STRING_SEQ = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
    r"[^\x07\x1b\x9c\n]*"
    r"(?:\x07|\x1b\\|\x9c)?"
)
# CSI: parameters, intermediates, final byte (7-bit or C1 introducer).
_CSI_SEQ = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?")
# Any other escape: ESC, intermediates, a final byte.
_ESC_SEQ = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
# What can start a sequence: ESC or a C1 introducer (one regex scan, not a Python loop).
_SEQ_START = re.compile("[\x1b\x90-\x9f]")
# Controls and invisible troublemakers left after the sequences are gone.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but tab and newline), DEL, C1
    "\u061c\u200e\u200f"  # bidi marks
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\ufeff\ufffe"  # byte-order marks
    "\ud800-\udfff]"  # lone surrogates
)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_H_SPACE = re.compile(
    r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*[ \t][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
)
_BLANK_LINES = re.compile(r"\n{3,}")


def _strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, normalising line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    if _SEQ_START.search(text):
        text = _STRING_SEQ.sub("", text)
        text = _CSI_SEQ.sub("", text)
        text = _ESC_SEQ.sub("", text)
    return _BAD_CHARS.sub("", text)


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
    text = unicodedata.normalize("NFC", _strip_controls(text))
    lines = [_H_SPACE.sub(" ", line).strip(" ") for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def clean_line(text: str) -> str:
    """Clean a one-line value (a title, a source, an author, a url).

    Args:
        text: Raw decoded text.

    Returns:
        The cleaned text with every run of whitespace, newlines included,
        folded to one space.
    """
    text = unicodedata.normalize("NFC", _strip_controls(text))
    return " ".join(text.split())


def has_unsafe_chars(text: str) -> bool:
    """Tell whether a text still holds anything a terminal would interpret.

    Args:
        text: Any text.

    Returns:
        True when the text contains an ESC, a C0/C1 control other than tab and
        newline, a bidi control or a lone surrogate.
    """
    return _UNSAFE.search(text) is not None


def escape_unsafe(text: str) -> str:
    """Make any text safe to print in one line: controls and bidi become escapes.

    Used for text that did not pass through ingest cleaning (file names, error
    details), so that nothing printed can drive the terminal.

    Args:
        text: Any text, possibly with lone surrogates from undecodable file names.

    Returns:
        A single line with every unsafe character escaped.
    """
    out = []
    for char in text:
        if char == "\n" or _UNSAFE.match(char) or char == "\t":
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)
