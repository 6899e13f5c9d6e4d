"""One-line failure reasons and terminal-safe path text for errors and notes.

:class:`SourceError` is what readers raise for an expected failure;
:func:`describe_error` turns any other exception into a short reason;
:func:`path_text` renders a (possibly hostile) file name safely. Details quoted
from exceptions are folded by :func:`index.safe_text.one_line`, at most
:data:`REASON_CHARS` long.
"""

from __future__ import annotations

import os
import unicodedata

from index.safe_text import has_unsafe_chars, one_line

__all__ = ["REASON_CHARS", "SourceError", "describe_error", "path_text"]

#: The longest detail (an exception's text, not corpus text) that a reason quotes.
REASON_CHARS = 160


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
        return one_line(err.strerror or type(err).__name__, REASON_CHARS).lower() or "read error"
    if isinstance(err, RecursionError):
        return "input nested too deeply"
    if isinstance(err, MemoryError):
        return "input too large to process (out of memory)"
    if isinstance(err, UnicodeError):
        return "undecodable text"
    detail = one_line(err, REASON_CHARS)
    name = type(err).__name__
    return f"could not read ({name}: {detail})" if detail else f"could not read ({name})"
