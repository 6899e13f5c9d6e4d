"""Decoding file bytes to text: byte-order marks, UTF-8, detection, binary checks."""

from __future__ import annotations

import codecs
import os

from charset_normalizer import from_bytes

from index.ingest.sources.reasons import SourceError

__all__ = ["binary_reason", "decode", "is_binary"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that never appear in text (tab, LF, FF, CR and ESC are excluded).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
# What non-ASCII characters of real Western (cp1252) text look like once decoded.
_WESTERN_EXTRA = frozenset("\u00a0¡¢£§©«®°±´µ¶·º»¿×÷‘’‚“”„–—…€•™†‡‰‹›ŠšŒœŽžƒˆ˜")
_SAMPLE = 64 * 1024


def is_binary(data: bytes, threshold: float = 0.05) -> bool:
    """Tell whether bytes look like a binary file (sampled at the start).

    Args:
        data: The raw bytes (without a byte-order mark).
        threshold: The largest share of control bytes accepted in text.

    Returns:
        True when more than ``threshold`` of the sampled bytes are NULs or
        controls that never occur in text (tab, newlines, form feed and ESC
        do not count).
    """
    sample = data[:_SAMPLE]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * threshold


def binary_reason(data: bytes) -> str | None:
    """Say why bytes are binary, or None when they may be text.

    Args:
        data: The raw bytes (a UTF-16 or UTF-32 byte-order mark means text).

    Returns:
        ``"binary file (NUL bytes)"``, ``"binary file (control bytes)"`` or None.
    """
    if data.startswith(tuple(bom for bom, codec in _BOMS if codec != "utf-8")):
        return None
    if not is_binary(data):
        return None
    return "binary file (NUL bytes)" if b"\x00" in data[:_SAMPLE] else "binary file (control bytes)"


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode ASCII-heavy UTF-16 that lacks a byte-order mark, or return None."""
    sample = data[: _SAMPLE - _SAMPLE % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    for zeros, codec in ((sample[1::2], "utf-16-le"), (sample[0::2], "utf-16-be")):
        if zeros.count(0) >= len(zeros) * 0.9:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _printable_ratio(text: str) -> float:
    """Share of printable characters (whitespace counts as printable) in a sample."""
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    good = sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t\x1b")
    return good / len(sample)


def _looks_western(text: str) -> bool:
    """Tell whether a cp1252 decoding reads like Western European text, not mojibake.

    Every non-ASCII character must be a Latin-1 letter or common punctuation,
    and at most 30% of the letters may be non-ASCII (Cyrillic or Greek text
    decoded as cp1252 turns almost every letter into an accented one).
    """
    sample = text[:_SAMPLE]
    letters = sum(1 for ch in sample if ch.isalpha())
    foreign = 0
    for ch in sample:
        if ch >= "\x80":
            if not (ch in _WESTERN_EXTRA or ("\u00c0" <= ch <= "\u00ff" and ch.isalpha())):
                return False
            foreign += ch.isalpha()
    return foreign <= 0.3 * max(letters, 1)


def _detect(data: bytes) -> tuple[str, str]:
    """Pick a legacy encoding: cp1252 when it reads like Western text, else charset_normalizer."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_western(text):
            return "cp1252", text
    best = from_bytes(data).best()
    if best is None:
        raise SourceError("undecodable text (not UTF-8 and no known encoding fits)")
    return best.encoding.replace("_", "-"), str(best)


def decode(data: bytes, path: str | os.PathLike[str] | None = None) -> tuple[str, str | None]:
    """Decode file bytes to text.

    Order: byte-order marks (UTF-8, UTF-16, UTF-32), strict UTF-8, UTF-16
    without a BOM, then cp1252 when the text reads like Western European text,
    else charset_normalizer's detection.

    Args:
        data: The raw bytes.
        path: The file the bytes come from (unused in the result; kept for callers' symmetry).

    Returns:
        The text and an optional note saying how it was decoded when it was not UTF-8.

    Raises:
        SourceError: The bytes are binary or cannot be decoded as text.
    """
    del path  # the caller names the file in errors and notes
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                raise SourceError(f"undecodable text (invalid {codec.upper()})") from err
            return text, None  # a byte-order mark is explicit: nothing to warn about
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        utf16 = _utf16_without_bom(data) if b"\x00" in data else None
        if utf16 is not None and _printable_ratio(utf16) > 0.95:
            return utf16, "decoded as UTF-16 (no byte-order mark)"
        if is_binary(data, threshold=0.10):  # valid UTF-8: stray controls are cleaned later
            raise SourceError("binary file (control bytes)")
        return text, None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None and _printable_ratio(utf16) > 0.95:
        return utf16, "decoded as UTF-16 (no byte-order mark)"
    if b"\x00" in data:
        raise SourceError("binary file (NUL bytes)")
    if is_binary(data):
        raise SourceError("binary file (control bytes)")
    encoding, text = _detect(data)
    if _printable_ratio(text) < 0.95:
        raise SourceError("undecodable text (mostly unprintable)")
    return text, f"decoded as {encoding} (not UTF-8)"
