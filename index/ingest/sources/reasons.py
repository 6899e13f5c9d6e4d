"""One-line failure reasons and terminal-safe path text for errors and notes.

:class:`SourceError` is what readers raise for an expected failure;
:func:`describe_error` turns any other exception into a short reason;
:func:`path_text` renders a (possibly hostile) file name safely.
"""

from __future__ import annotations

import os
import unicodedata

from index.ingest.clean import clean_line, has_unsafe_chars

__all__ = ["SourceError", "describe_error", "one_line", "path_text"]


class SourceError(Exception):
    """A failure with a short human reason, raised inside readers.

    Attributes:
        reason: What went wrong, one line.
        line: The line or entry number it is about, or None for the whole file.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def path_text(path: str | os.PathLike[str] | bytes) -> str:
    r"""Render a path for messages and storage without anything a terminal interprets.

    Undecodable bytes (kept by Python as surrogate escapes) become ``\\xNN``;
    controls, bidi controls and line separators become ``\\xNN`` or ``\\uNNNN``.
    An ordinary path comes back unchanged.

    Args:
        path: A path as str, bytes or path-like object.

    Returns:
        A printable one-line rendering of the path.
    """
    raw = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    if isinstance(raw, bytes):  # a PathLike returning bytes
        raw = os.fsdecode(raw)
    out: list[str] = []
    for ch in raw:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif has_unsafe_chars(ch) or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        elif ch in "\ufeff\ufffe":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def one_line(text: str, limit: int = 160) -> str:
    """Fold a message (an exception's text, not corpus text) to one short safe line.

    Args:
        text: Any text.
        limit: The longest result, "…" included.

    Returns:
        The text without controls, whitespace folded, cut to ``limit`` characters.
    """
    text = clean_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe_error(err: BaseException) -> str:
    """Turn an unexpected exception into a short human reason.

    Args:
        err: The exception raised while reading.

    Returns:
        A one-line reason that never repeats the (possibly hostile) file name.
    """
    if isinstance(err, SourceError):
        return err.reason
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    if isinstance(err, OSError):
        if err.errno is not None and err.errno == getattr(os, "ELOOP", -1):
            return "symbolic link (not followed)"
        return one_line(err.strerror or type(err).__name__).lower() or "read error"
    if isinstance(err, RecursionError):
        return "input nested too deeply"
    if isinstance(err, MemoryError):
        return "input too large to process (out of memory)"
    if isinstance(err, UnicodeError):
        return "undecodable text"
    detail = one_line(str(err))
    name = type(err).__name__
    return f"could not read ({name}: {detail})" if detail else f"could not read ({name})"
