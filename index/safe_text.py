"""Text that is safe on a terminal: what a terminal would act on, and removing or escaping it.

One definition of "unsafe" for the three places that need it: ingest, which
cleans corpus text once before it is stored (:mod:`index.ingest.clean`); the
reader, which shows text one character for one (``tui.widgets._render``); and
the CLI, which prints file names and error details that never went through
ingest. It sits in the bottom layer so that all three can import it, and
so does :func:`plural`, the one way both say how many of something.

Unsafe, everywhere: every C0 control but tab and newline, DEL, every C1
control, bidi marks, embeddings, overrides and isolates, and lone surrogates
(an undecodable file name). Where text is removed or blanked out rather than
only tested, tab and byte-order marks go too (see :data:`DISPLAY_UNSAFE`).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "DISPLAY_UNSAFE",
    "UNSAFE",
    "escape_unsafe",
    "has_unsafe_chars",
    "one_line",
    "plural",
    "strip_controls",
]

# The unsafe characters, as the body of a regex character class.
_UNSAFE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but tab and newline), DEL, C1
    "\u061c\u200e\u200f"  # bidi marks
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\ud800-\udfff"  # lone surrogates
)
_BYTE_ORDER_MARKS = "\ufeff\ufffe"

#: One unsafe character (see the module's docstring). Tab is not one: a
#: terminal only moves the cursor for it.
UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")

#: An unsafe character, a tab or a byte-order mark: what the reader replaces
#: one for one by a space (so that offsets into the text stay valid). A tab
#: would take several cells and a byte-order mark none, so neither would sit
#: in the one cell its offset promises.
DISPLAY_UNSAFE = re.compile(f"[\t{_UNSAFE_CLASS}{_BYTE_ORDER_MARKS}]")

# What strip_controls removes after the escape sequences: the unsafe
# characters and the byte-order marks (a tab is whitespace, tidied by callers).
_STRIPPED = re.compile(f"[{_UNSAFE_CLASS}{_BYTE_ORDER_MARKS}]")

# String sequences: OSC, DCS, SOS, PM, APC, with 7-bit or C1 introducers, ended by
# BEL, ST (ESC \ or 0x9C), or, when never terminated, by the end of the line.
_STRING_SEQ = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
    r"[^\x07\x1b\x9c\n]*"
    r"(?:\x07|\x1b\\|\x9c)?"
)
# CSI: parameters, intermediates, final byte (7-bit or C1 introducer).
_CSI_SEQ = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?")
_ESC_SEQ = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
# What can start a sequence: ESC or a C1 introducer (one regex scan, not a Python loop).
_SEQ_START = re.compile("[\x1b\x90-\x9f]")


def strip_controls(text: str) -> str:
    """Remove escape sequences and unsafe characters, normalising line ends.

    Whole sequences go (CSI, OSC, DCS, SOS, PM and APC strings up to their
    terminator, and the short ``ESC`` sequences, with 7-bit or C1
    introducers), so that no parameter of one is left behind as text; then
    every unsafe character and byte-order mark. CRLF, CR, NEL and the Unicode
    line separator become LF, the paragraph separator a blank line. Tabs stay.

    Args:
        text: Any text.

    Returns:
        The text with nothing left that a terminal would act on.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    if _SEQ_START.search(text):
        text = _STRING_SEQ.sub("", text)
        text = _CSI_SEQ.sub("", text)
        text = _ESC_SEQ.sub("", text)
    return _STRIPPED.sub("", text)


def has_unsafe_chars(text: str) -> bool:
    """Tell whether a text still holds anything a terminal would interpret.

    Args:
        text: Any text.

    Returns:
        True when the text contains an ESC, a C0/C1 control other than tab and
        newline, a bidi control or a lone surrogate.
    """
    return UNSAFE.search(text) is not None


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
        if char == "\n" or UNSAFE.match(char) or char == "\t":
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def one_line(value: object, limit: int | None = None) -> str:
    """Fold a value to one safe line: for a message, a notice, a title or a name.

    Args:
        value: Any value (its ``str()``; None gives "").
        limit: The longest result, "…" included; None for no limit.

    Returns:
        The text without escape sequences or unsafe characters (see
        :func:`strip_controls`), NFC-normalised, each stretch of whitespace
        (newlines included) folded to one space, cut to ``limit`` characters.
    """
    text = "" if value is None else str(value)
    text = " ".join(unicodedata.normalize("NFC", strip_controls(text)).split())
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def plural(count: int, word: str) -> str:
    """Say how many of something, in English: ``"1 article"``, ``"2 articles"``.

    Args:
        count: How many.
        word: The singular noun.
    """
    return f"{count:,} {word}{'' if count == 1 else 's'}"
