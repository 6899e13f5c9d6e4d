"""The hostile-input table for tests/test_sources.py: one real file per case."""

from __future__ import annotations

import codecs
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
PNG += bytes(range(256)) * 8
RANDOM = random.Random(1234).randbytes(8192)
# Terminal attacks: colours, OSC 52 clipboard write, title set, NUL, C1 CSI, bidi override.
NASTY = (
    "\x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07clip \x1b]0;pwned\x1b\\ nul\x00 "
    "c1\x9b2J bidi\u202eevil\u202c del\x7f bell\x07 bs\x08"
)
NASTY_JSON = NASTY + " lone\ud800"  # json.dumps escapes the lone surrogate as \ud800
NASTY_RAW = NASTY.replace("\\", "")  # no backslashes: raw controls inside a JSON string
GOOD_LINE = {"title": "Good one", "body": "A perfectly good body survives the bad neighbours."}


def _nasty_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _jsonl(*lines: str | bytes) -> bytes:
    out = [line if isinstance(line, bytes) else line.encode() for line in lines]
    return b"\n".join(out) + b"\n"


GOOD = json.dumps(GOOD_LINE)


def _feed(items: str, *, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>Hostile Feed</title>{items}</channel></rss>"
    ).encode("utf-8", "surrogatepass")


GOOD_ITEM = "<item><title>Fine</title><description>Fine entry text here.</description></item>"
BILLION_LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + "]>"
).replace("&lol0;", "&lol;")


def _big_file(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.write(b"word " * (size // 5))

    return write


def _huge_jsonl_line(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.write(GOOD.encode() + b"\n" + b'{"body": "' + b"x" * (50 * MB) + b'"}\n')
        handle.write(json.dumps({"body": "The line after the monster still lands."}).encode())


@dataclass(frozen=True)
class Case:
    """One hostile file: its name, its bytes (or a writer), and what must come out.

    Attributes:
        id: The pytest id.
        name: The file name.
        data: The file's bytes, or a function writing the file (for big files).
        reason: A substring of the expected error reason (None: no error expected).
        good: How many articles must still come through.
        note: A substring of the expected decoding note, if any.
        body_has: Substrings that the bodies together must contain.
        body_lacks: Substrings that no field of any article may contain.
        error_line: The line/entry number the expected error must carry.
    """

    id: str
    name: str
    data: bytes | Callable[[Path], None]
    reason: str | None = None
    good: int = 0
    note: str | None = None
    body_has: tuple[str, ...] = ()
    body_lacks: tuple[str, ...] = ()
    error_line: int | None = None


CASES: list[Case] = [
    # --- encodings ---
    Case(
        "cp1252",
        "cp.txt",
        "Caf\xe9 \u201cquoted\u201d costs 10 \u20ac.\n".encode("cp1252"),
        good=1,
        note="decoded as cp1252",
        body_has=("Café", "“quoted”", "€"),
    ),
    Case(
        "latin1",
        "l1.txt",
        "Le garçon a mangé une crème brûlée à la fenêtre.\n".encode("latin-1"),
        good=1,
        note="decoded as",
        body_has=("crème brûlée", "garçon"),
    ),
    Case(
        "utf8-bom",
        "bom.txt",
        codecs.BOM_UTF8 + "Héllo with a BOM at the start.".encode(),
        good=1,
        body_has=("Héllo with a BOM",),
        body_lacks=("\ufeff",),
    ),
    Case(
        "utf16-le",
        "le.txt",
        codecs.BOM_UTF16_LE + "Little endian “text”.".encode("utf-16-le"),
        good=1,
        body_has=("Little endian “text”.",),
    ),
    Case(
        "utf16-be",
        "be.md",
        codecs.BOM_UTF16_BE + "# T\n\nBig endian text.".encode("utf-16-be"),
        good=1,
        body_has=("Big endian text.",),
    ),
    Case(
        "utf16-json",
        "w.json",
        codecs.BOM_UTF16_LE + json.dumps(GOOD_LINE).encode("utf-16-le"),
        good=1,
        body_has=("perfectly good",),
    ),
    Case(
        "utf16-jsonl",
        "w.jsonl",
        codecs.BOM_UTF16_LE + (GOOD + "\n[1]\n").encode("utf-16-le"),
        reason="expected a JSON object, got list",
        good=1,
        error_line=2,
    ),
    Case("utf32", "u32.txt", codecs.BOM_UTF32_LE + "Thirty-two bits.".encode("utf-32-le"), good=1),
    Case(
        "cp1252-jsonl-line",
        "cpl.jsonl",
        _jsonl(GOOD, json.dumps({"body": "Caf\xe9 X"}, ensure_ascii=False).encode("cp1252")),
        good=2,
        note="cp1252",
    ),
    # --- binary and empty ---
    Case("png-txt", "image.txt", PNG, reason="binary file"),
    Case("random-txt", "noise.txt", RANDOM, reason="binary file"),
    Case("random-html", "noise.html", RANDOM, reason="binary file"),
    Case("png-jsonl", "image.jsonl", PNG, reason="binary file"),
    Case("png-xml", "image.xml", PNG, reason="binary file (NUL bytes)"),
    Case("png-md", "image.md", PNG, reason="binary file"),
    Case("empty-txt", "empty.txt", b"", reason="empty file"),
    Case("space-md", "space.md", b"  \n\t\n   \r\n", reason="empty file"),
    Case("empty-jsonl", "empty.jsonl", b"", reason="empty file"),
    Case("blank-jsonl", "blank.jsonl", b"\n\n   \n", reason="empty file"),
    Case("empty-json", "empty.json", b"", reason="empty file"),
    Case("empty-xml", "empty.xml", b"", reason="empty file"),
    Case("controls-only", "ctl.txt", b"\x1b[31m\x1b[0m \x1b]0;x\x1b\\ \r\n", reason="no body text"),
    Case("nul-heavy-utf8", "zeros.txt", b"\x00" * 4096, reason="binary file"),
    Case(
        "utf16-no-bom",
        "nobom.txt",
        "ASCII text saved as UTF-16.".encode("utf-16-le"),
        good=1,
        note="no byte-order mark",
        body_has=("ASCII text saved as UTF-16.",),
    ),
    Case(
        "cp1251",
        "ru.txt",
        "Привет, это тестовый текст на русском языке.".encode("cp1251"),
        good=1,
        note="decoded as cp1251",
        body_has=("Привет",),
    ),
    # --- size limits ---
    Case("50mb-txt", "big.txt", _big_file(50 * MB), reason="file too large (50.0 MB > 32 MB"),
    Case("50mb-html", "big.html", _big_file(50 * MB), reason="file too large"),
    Case(
        "50mb-jsonl-line",
        "huge.jsonl",
        _huge_jsonl_line,
        reason="line too long",
        good=2,
        error_line=2,
        body_has=("monster still lands",),
    ),
    Case(
        "article-too-large",
        "long.json",
        json.dumps({"body": "a " * 600_000}).encode(),
        reason="article too large (1,199,999 characters > 1,000,000)",
    ),
    # --- HTML ---
    Case(
        "html-script-style",
        "s.html",
        (
            b"<html><head><title>Safe Title</title><style>body{} STYLETEXT</style>"
            b"<script>var SCRIPTTEXT = 1;</script></head><body><!-- COMMENTTEXT -->"
            b"<nav>NAVTEXT link</nav><article><p>Visible article text stays in the body of "
            b"this page and it is long enough.</p><script>SCRIPT2TEXT()</script>"
            b"<noscript>NOSCRIPTTEXT</noscript>"
            b"<p>More text after the script element.</p></article></body></html>"
        ),
        good=1,
        body_has=("Visible article text",),
        body_lacks=("STYLETEXT", "SCRIPTTEXT", "SCRIPT2TEXT", "COMMENTTEXT", "NAVTEXT"),
    ),
    Case(
        "html-fallback-no-main-text",
        "f.html",
        (
            b"<html><head><title>Fallback page</title><script>SCRIPTTEXT</script></head><body>"
            b"<nav>NAVTEXT</nav><!-- COMMENTTEXT --><div id='footer'>Only this text is on the page."
            b"<style>STYLETEXT</style></div></body></html>"
        ),
        good=1,
        body_has=("Only this text is on the page.",),
        body_lacks=("SCRIPTTEXT", "NAVTEXT", "COMMENTTEXT", "STYLETEXT"),
    ),
    Case(
        "html-unclosed-script",
        "u.html",
        b"<html><body><p>Before the script.</p><script>var UNCLOSED = '" + b"x" * 5000,
        good=1,
        body_has=("Before the script.",),
        body_lacks=("UNCLOSED",),
    ),
    Case(
        "html-only-script",
        "o.html",
        b"<html><body><script>only()</script></body></html>",
        reason="no article text found",
    ),
    Case(
        "html-200k-nesting",
        "deep.html",
        b"<html><body><p>Shallow text.</p>" + b"<div>" * 200_000 + b"deep" + b"</div>" * 200_000,
        good=1,
        body_has=("Shallow text.",),
    ),
    Case(
        "html-200k-unclosed",
        "deep2.html",
        b"<html><body>" + b"<b><i>" * 100_000 + b"text",
        reason="no article text found",
    ),
    # --- terminal attacks in every format ---
    Case("nasty-txt", "n.txt", _nasty_bytes(f"title: T{NASTY}\n\nBody {NASTY} end."), good=1),
    Case("nasty-md", "n.md", _nasty_bytes(f"# H{NASTY}\n\nBody {NASTY} end."), good=1),
    Case(
        "nasty-html",
        "n.html",
        _nasty_bytes(
            f"<html><head><title>T{NASTY}</title></head><body><article><p>Body {NASTY} and enough "
            "words to count as an article body for the extractor.</p></article></body></html>"
        ),
        good=1,
    ),
    Case(
        "nasty-json",
        "n.json",
        _nasty_bytes(
            json.dumps(
                {
                    "title": NASTY_JSON,
                    "body": f"Body {NASTY_JSON}",
                    "author": NASTY_JSON,
                    "source": NASTY_JSON,
                    "url": NASTY_JSON,
                    "date": NASTY_JSON,
                }
            )
        ),
        good=1,
    ),
    Case(
        "nasty-jsonl-raw",
        "n.jsonl",
        _jsonl(_nasty_bytes('{"title": "' + NASTY_RAW + '", "body": "B ' + NASTY_RAW + '"}'), GOOD),
        good=2,
    ),
    Case(
        "nasty-feed",
        "n.xml",
        _feed(
            f"<item><title>T{NASTY}</title><author>{NASTY}</author>"
            f"<description>Body {NASTY}</description></item>{GOOD_ITEM}"
        ),
        good=2,
    ),
    # --- JSONL: one bad line each, the good line still lands ---
    Case(
        "jsonl-malformed",
        "m.jsonl",
        _jsonl('{"body": "x",, }', GOOD),
        reason="malformed JSON (Expecting",
        good=1,
        error_line=1,
    ),
    Case(
        "jsonl-blank-lines",
        "b.jsonl",
        _jsonl("", "   ", GOOD, "", GOOD.replace("one", "two")),
        good=2,
    ),
    Case(
        "jsonl-list",
        "l.jsonl",
        _jsonl(GOOD, "[1, 2]"),
        reason="expected a JSON object, got list",
        good=1,
        error_line=2,
    ),
    Case(
        "jsonl-string",
        "s.jsonl",
        _jsonl('"just a string"', GOOD),
        reason="expected a JSON object, got string",
        good=1,
    ),
    Case(
        "jsonl-number",
        "num.jsonl",
        _jsonl("42", GOOD),
        reason="expected a JSON object, got number",
        good=1,
    ),
    Case(
        "jsonl-nan", "nan.jsonl", _jsonl('{"body": NaN}', GOOD), reason="NaN is not allowed", good=1
    ),
    Case(
        "jsonl-infinity",
        "inf.jsonl",
        _jsonl('{"body": "x", "n": -Infinity}', GOOD),
        reason="-Infinity is not allowed",
        good=1,
    ),
    Case(
        "jsonl-null-body",
        "nb.jsonl",
        _jsonl('{"title": "t", "body": null}', GOOD),
        reason="no body text",
        good=1,
        error_line=1,
    ),
    Case(
        "jsonl-object-body",
        "ob.jsonl",
        _jsonl('{"body": {"a": 1}}', GOOD),
        reason="body is not a string (got object)",
        good=1,
    ),
    Case(
        "jsonl-number-fields",
        "nf.jsonl",
        _jsonl('{"title": 7, "body": "Numbers as fields.", "date": null, "author": 3.5}'),
        good=1,
    ),
    Case(
        "jsonl-deep",
        "deep.jsonl",
        _jsonl("[" * 100_000 + "]" * 100_000, GOOD),
        reason="JSON nested too deeply",
        good=1,
    ),
    Case(
        "jsonl-surrogates",
        "sur.jsonl",
        _jsonl('{"title": "a\\ud800b", "body": "lone \\udfff surrogate \\ud83d"}', GOOD),
        good=2,
    ),
    Case(
        "jsonl-huge-int",
        "int.jsonl",
        _jsonl('{"body": "x", "n": ' + "9" * 5000 + "}", GOOD),
        reason="malformed JSON (a number with too many digits)",
        good=1,
    ),
    Case(
        "json-deep",
        "deep.json",
        b'{"body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        reason="JSON nested too deeply",
    ),
    Case(
        "json-bad-entry",
        "list.json",
        json.dumps([GOOD_LINE, 3, GOOD_LINE]).encode(),
        reason="expected a JSON object, got number",
        good=2,
        error_line=2,
    ),
    Case("json-scalar", "scalar.json", b'"hello"', reason="expected a JSON object or list"),
    # --- feeds ---
    Case(
        "feed-billion-laughs",
        "lol.xml",
        _feed(
            "<item><title>&lol9;</title><description>&lol9;</description></item>",
            head=BILLION_LAUGHS,
        ),
        reason="feed refused: entity declarations are not allowed",
    ),
    Case(
        "feed-external-entity",
        "xxe.rss",
        _feed(
            "<item><title>&xxe;</title><description>&xxe; text</description></item>",
            head='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
        reason="feed refused",
        body_lacks=("root:",),
    ),
    Case(
        "feed-external-dtd",
        "dtd.rss",
        _feed(GOOD_ITEM, head='<!DOCTYPE rss SYSTEM "file:///etc/passwd">'),
        good=1,
        body_lacks=("root:",),
    ),
    Case(
        "feed-huge-token",
        "token.xml",
        _feed(
            "<item><title>Huge</title><description>"
            + "A" * (3 * MB)
            + "</description></item>"
            + GOOD_ITEM
        ),
        reason="article too large",
        good=1,
        error_line=1,
    ),
    Case(
        "feed-huge-name",
        "name.xml",
        _feed("<" + "a" * (5 * MB) + ">x</item>"),
        reason="broken feed",
    ),
    Case(
        "feed-broken",
        "broken.xml",
        _feed("<title>x</titl>"),
        reason="broken feed (mismatched tag at line 1)",
    ),
    Case(
        "feed-undefined-entity",
        "nbsp.rss",
        _feed(
            "<item><title>A&nbsp;b</title><description>Loose but &nbsp; readable.</description>"
            "</item>"
        ),
        good=1,
        body_has=("readable",),
    ),
    Case(
        "feed-not-a-feed",
        "sitemap.xml",
        b'<?xml version="1.0"?><urlset><url><loc>https://x</loc></url></urlset>',
        reason="not an RSS or Atom feed",
    ),
    Case(
        "feed-plain-text",
        "text.xml",
        b"just some words, not XML at all",
        reason="not an RSS or Atom feed",
    ),
    Case(
        "feed-empty-entry",
        "hole.atom",
        (
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><title>Empty</title>'
            b"</entry><entry><title>Full</title><content>Has text.</content></entry></feed>"
        ),
        reason="entry has no text",
        good=1,
        error_line=1,
    ),
    # --- markdown ---
    Case("md-deep-quote", "q.md", b"> " * 50_000 + b"quoted\n\nAfter the quote.", good=1),
    Case("md-html-only", "h.md", b"<div>\nonly html\n</div>\n", reason="no body text"),
]
