"""Readers in index.ingest.sources, on real files: formats, seeds, hostile inputs, discovery."""

from __future__ import annotations

import errno
import json
import os
import time
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.content import Content

from index.ingest.clean import clean_text
from index.ingest.sources import SUPPORTED_SUFFIXES, discover, make_article, read_file
from index.ingest.sources.base import path_text
from index.models import Article, IngestError
from index.safe_text import has_unsafe_chars

try:
    from tests.helpers.hostile import CASES, Case
except ImportError:  # tests/ not a package
    from sources_hostile import CASES, Case  # type: ignore[no-redef]

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
SEED_000 = SEEDS / "000_b1be0d5c4baa7946.txt"
SEED_004 = SEEDS / "004_0782718dd1f801d9.txt"


def read_all(*paths: Path | str, notes: list[str] | None = None):
    """Discover and read everything; return (articles, errors)."""
    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in discover(paths):
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        for result in read_file(item, notes):
            (articles if isinstance(result, Article) else errors).append(result)
    return articles, errors


def one(path: Path, notes: list[str] | None = None) -> Article:
    articles, errors = read_all(path, notes=notes)
    assert not errors, [str(e) for e in errors]
    assert len(articles) == 1
    return articles[0]


def assert_safe(articles: list[Article], errors: list[IngestError], name: str) -> None:
    for article in articles:
        for field in fields(article):
            value = getattr(article, field.name)
            if isinstance(value, str):
                assert not has_unsafe_chars(value), (field.name, value[:200])
                value.encode("utf-8")  # no lone surrogates anywhere
        assert article.title and article.body.strip()
    for error in errors:
        line = str(error)
        assert "\n" not in line and "\r" not in line and "\x1b" not in line, line
        assert not has_unsafe_chars(line), line
        assert name in line, line
        assert len(line) < 500


# --- one test per format -------------------------------------------------------------


def test_txt_metadata_and_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "title: Markets rally\nsource: Daily Wire\nauthor: Ann Lee\nurl: https://x.test/a\n"
        "date: May 8, 2023\n\nSource: officials said the plan would go ahead.\n"
        "The second line of a hard-wrapped paragraph goes\non here and ends here.\n\n"
        "A subheading without punctuation\nThe text under it, written as one long line that "
        "is well over the usual wrap width of a plain-text file, as scraped text often is.\n",
        encoding="utf-8",
    )
    article = one(path)
    assert (article.title, article.source, article.author) == (
        "Markets rally",
        "Daily Wire",
        "Ann Lee",
    )
    assert (article.url, article.date, article.path) == (
        "https://x.test/a",
        "2023-05-08",
        str(path),
    )
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Source: officials said the plan would go ahead.")
    assert "goes on here" in paragraphs[0]
    assert paragraphs[1] == "A subheading without punctuation"
    assert paragraphs[2].startswith("The text under it")
    assert "title:" not in article.body and "Daily Wire" not in article.body


def test_txt_title_line_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(b"Storm hits the coast\r\n\r\nWinds reached 120 km/h.\rPower is out.\r\n")
    article = one(path)
    assert article.title == "Storm hits the coast"
    assert article.body == "Winds reached 120 km/h. Power is out."  # short lines: one wrapped block
    assert article.date is None and article.source == ""


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ndate: 2024-01-02T09:30:00+01:00\nsource: 'Wire'\nauthor: Bo\n---\n"
        "# The Heading\n\nPara with [a link](http://x.test) and `code`.\n\n## Sub\n\n"
        "- item one\n- item *two*\n\n```\nprint('kept')\n```\n\n<div>HTMLBLOCK</div>\n",
        encoding="utf-8",
    )
    article = one(path)
    assert article.title == "The Heading"
    assert (article.date, article.source, article.author) == ("2024-01-02T08:30:00", "Wire", "Bo")
    assert article.body == (
        "Para with a link and code.\n\nSub\n\n• item one\n• item two\n\nprint('kept')"
    )


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        '<html><head><title>Budget passes</title><meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-03-05T10:20:00Z">'
        '<meta property="og:site_name" content="Daily Paper">'
        '<link rel="canonical" href="https://example.com/a/1">'
        "<style>.x{} STYLETEXT</style><script>SCRIPTTEXT()</script></head><body>"
        "<nav><a href='/'>NAVTEXT</a></nav><!-- COMMENTTEXT --><article><h1>Budget passes</h1>"
        "<p>The budget passed late on Tuesday after a long debate in the chamber.</p>"
        "<script>SCRIPT2()</script><p>Opposition members voted against the measure.</p>"
        "</article><footer>FOOTERTEXT</footer></body></html>",
        encoding="utf-8",
    )
    article = one(path)
    assert article.title == "Budget passes"
    assert (article.date, article.source, article.author) == (
        "2024-03-05",
        "Daily Paper",
        "Jane Doe",
    )
    assert article.url == "https://example.com/a/1"
    assert article.body.startswith("The budget passed late on Tuesday")
    assert "Opposition members" in article.body
    for junk in ("STYLETEXT", "SCRIPTTEXT", "SCRIPT2", "COMMENTTEXT", "NAVTEXT", "FOOTERTEXT"):
        assert junk not in article.body


def test_json_shapes(tmp_path: Path) -> None:
    record = {
        "title": "T",
        "text": "Body one.",
        "published": "2023-05-18",
        "link": "u",
        "source": "S",
        "author": ["A", "B"],
    }
    (tmp_path / "one.json").write_text(json.dumps(record))
    (tmp_path / "list.json").write_text(json.dumps([record, {**record, "text": "Body two."}]))
    (tmp_path / "wrap.json").write_text(json.dumps({"articles": [record]}))
    articles, errors = read_all(tmp_path)
    assert not errors
    assert [(a.path.rsplit("/", 1)[1], a.line) for a in articles] == [
        ("list.json", 1),
        ("list.json", 2),
        ("one.json", None),
        ("wrap.json", 1),
    ]
    first = articles[2]
    assert (first.title, first.body, first.date, first.url, first.source, first.author) == (
        "T",
        "Body one.",
        "2023-05-18",
        "u",
        "S",
        "A, B",
    )


def test_jsonl_lines_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        {"title": "One", "body": "First body.", "date": "2023-05-18T10:00:00Z"},
        "{not json",
        {"body": "Second body. It has no title of its own at all."},
    ]
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines))
    articles, errors = read_all(path)
    assert [(a.title, a.line, a.date) for a in articles] == [
        ("One", 1, "2023-05-18T10:00:00"),
        ("Second body.", 3, None),
    ]
    assert [(e.line, e.reason.split(" (")[0]) for e in errors] == [(2, "malformed JSON")]
    assert str(errors[0]).startswith(f"{path}:2: malformed JSON (")


def test_rss_and_atom(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>The Wire</title>'
        "<item><title>First &amp; best</title><link>https://w.test/1</link><author>ed@w.test"
        " (Ed)</author><pubDate>Tue, 02 May 2023 10:00:00 GMT</pubDate><description>"
        "&lt;p&gt;Para one.&lt;/p&gt;&lt;script&gt;EVIL()&lt;/script&gt;&lt;p&gt;Para two."
        "&lt;/p&gt;</description></item><item><title>Second</title><description>Plain."
        "</description></item></channel></rss>",
        encoding="utf-8",
    )
    (tmp_path / "b.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Atomic</title><entry><title>E</title>'
        '<link href="https://a.test/e"/><author><name>Al</name></author><published>2023-05-18'
        '</published><content type="html">&lt;p&gt;Atom body.&lt;/p&gt;</content></entry></feed>',
        encoding="utf-8",
    )
    articles, errors = read_all(tmp_path)
    assert not errors
    rss1, rss2, atom = articles
    assert (rss1.title, rss1.url, rss1.source, rss1.line) == (
        "First & best",
        "https://w.test/1",
        "The Wire",
        1,
    )
    assert (rss1.date, rss1.body) == ("2023-05-02T10:00:00", "Para one.\n\nPara two.")
    assert "EVIL" not in rss1.body and "ed@w.test" in rss1.author
    assert (rss2.title, rss2.body, rss2.line) == ("Second", "Plain.", 2)
    assert (atom.title, atom.url, atom.author, atom.date, atom.body, atom.source) == (
        "E",
        "https://a.test/e",
        "Al",
        "2023-05-18",
        "Atom body.",
        "Atomic",
    )


# --- seeds ---------------------------------------------------------------------------


def test_seeds() -> None:
    first = [one(SEED_000), one(SEED_004)]
    second = [one(SEED_000), one(SEED_004)]
    assert [a.id for a in first] == [a.id for a in second]
    s000, s004 = first
    assert s004.date == "2023-05-18"
    assert s004.body.startswith("Amid the declining Sino-US relations")
    assert "date 2023" not in s004.body
    lead = s000.body.split(". ")[0]
    assert s000.title.endswith("…") and lead.startswith(s000.title.rstrip("…"))
    assert len(s000.title) <= 90
    assert s000.body.startswith("Biden administration is pushing")
    assert "\n\nChina-US trade barbs on COVID origin\n\nEarlier yesterday" in s000.body
    assert "\n\nVisits ‘unlikely’ to take place in the next few weeks\n\nThe US official" in (
        s004.body
    )
    assert all(p == " ".join(p.split()) for p in s000.body.split("\n\n"))


def test_duplicate_article_in_two_files_has_one_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same body text, twice.\n")
    (tmp_path / "b.md").write_text("Same   body text,\ntwice.")
    (tmp_path / "c.jsonl").write_text(json.dumps({"title": "O", "body": "Same body text, twice."}))
    articles, _ = read_all(tmp_path)
    assert len(articles) == 3 and len({a.id for a in articles}) == 1


def test_make_article_rules() -> None:
    made = make_article(
        path="p", title=None, body="  ", date=None, source=None, url=None, author=None, line=3
    )
    assert made == IngestError("p", "no body text", 3)
    made = make_article(
        path="p",
        title="\x1b[1m",
        body="Short.",
        date="not a date",
        source="s",
        url=None,
        author=None,
        line=None,
    )
    assert isinstance(made, Article) and made.title == "Short." and made.date is None
    assert made.id == __import__("hashlib").blake2b(b"s\x1fShort.", digest_size=8).hexdigest()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2023-05-18", "2023-05-18"),
        ("May 8, 2023", "2023-05-08"),
        ("2023", None),
        ("2024-03-05T10:20:00+02:00", "2024-03-05T08:20:00"),
        ("2023-05-18 10:00", "2023-05-18T10:00:00"),
        ("Tue, 02 May 2023 10:00:00 GMT", "2023-05-02T10:00:00"),
        ("1684368000", "2023-05-18"),
        ("yesterday", None),
        ("5", None),
        ("2023-13-45", None),
        ("9999-01-01", None),
    ],
)
def test_dates(raw: str, iso: str | None) -> None:
    made = make_article(path="p", body="Body.", date=raw)
    assert isinstance(made, Article) and made.date == iso


def test_derived_titles() -> None:
    def title(body: str) -> str:
        made = make_article(path="p", body=body)
        assert isinstance(made, Article)
        return made.title

    assert title("U.S. officials met Mr. Li on Monday. Then they left.") == (
        "U.S. officials met Mr. Li on Monday."
    )
    long = "word " * 40
    assert title(long) == "word " * 17 + "word…" and len(title(long)) <= 90
    assert title("x" * 200) == "x" * 89 + "…"
    assert title("a" * 60 + " " + "b" * 60) == "a" * 60 + "…"
    assert title("Short.\n\nSecond paragraph.") == "Short."


# --- the hostile table -----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    if isinstance(case.data, bytes):
        path.write_bytes(case.data)
    else:
        case.data(path)
    notes: list[str] = []
    started = time.monotonic()
    articles, errors = read_all(path, notes=notes)
    assert time.monotonic() - started < 10
    assert_safe(articles, errors, case.name)
    if case.reason is None:
        assert not errors, [str(e) for e in errors]
    else:
        assert any(case.reason in e.reason for e in errors), [str(e) for e in errors]
        assert len(errors) == 1, [str(e) for e in errors]
    if case.error_line is not None:
        assert errors[0].line == case.error_line
    assert len(articles) == case.good, [str(e) for e in errors]
    if case.note:
        assert any(case.note in n and case.name in n for n in notes), notes
    text = "\n".join(a.body for a in articles)
    for wanted in case.body_has:
        assert wanted in text
    everything = text + "\n".join(a.title + "\n" + a.author + "\n" + a.source for a in articles)
    for unwanted in case.body_lacks:
        assert unwanted not in everything


# --- files, names and discovery ----------------------------------------------------


def test_hostile_file_names(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/bad\xff\xfename.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Undecodable name, fine text.")
    (tmp_path / "esc\x1b[31m[brackets]\u202e.txt").write_text("Escape in the name.")
    (tmp_path / "nl\nname.xyz").write_text("x")
    named = [raw, tmp_path / "esc\x1b[2J.xyz", tmp_path / "nl\nname.xyz"]
    articles, errors = read_all(tmp_path, *named)
    assert len(articles) == 3
    assert sum(a.body == "Undecodable name, fine text." for a in articles) == 2
    assert_safe(articles, errors, "name")
    assert {a.path.rsplit("/", 1)[1] for a in articles} == {
        "bad\\xff\\xfename.txt",
        "esc\\x1b[31m[brackets]\\u202e.txt",
    }
    assert [e.reason for e in errors] == [
        "no such file or directory",
        "unsupported file type '.xyz'",
    ]
    assert "esc\\x1b[2J.xyz" in str(errors[0]) and "nl\\x0aname.xyz" in str(errors[1])


def test_discover_walks_sorted_and_skips(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "b" / ".hidden").mkdir(parents=True)
    (root / "a.TXT").write_text("x")
    (root / "b" / "z.md").write_text("x")
    (root / "b" / "a.html").write_text("x")
    (root / "b" / ".hidden" / "h.txt").write_text("x")
    (root / ".dot.txt").write_text("x")
    (root / "c.pdf").write_text("x")
    (root / "loop").symlink_to(root)
    (root / "out").symlink_to(tmp_path)
    (root / "link.txt").symlink_to(root / "a.TXT")
    (tmp_path / "outside.txt").write_text("x")
    os.mkfifo(root / "pipe.txt")
    found = list(
        discover([root, root / "pipe.txt", root / "link.txt", tmp_path / "missing", root / "c.pdf"])
    )
    paths = [p.relative_to(root).as_posix() for p in found if isinstance(p, Path)]
    assert paths == ["a.TXT", "b/a.html", "b/z.md"]
    reasons = [e.reason for e in found if isinstance(e, IngestError)]
    assert reasons == [
        "not a regular file (named pipe)",
        "symbolic link (not followed)",
        "no such file or directory",
        "unsupported file type '.pdf'",
    ]
    assert SUPPORTED_SUFFIXES == {
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".json",
        ".jsonl",
        ".xml",
        ".rss",
        ".atom",
    }


def test_fifo_swapped_in_after_discovery_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    os.mkfifo(path)
    assert [str(e) for e in read_file(path)] == [f"{path}: not a regular file"]


def test_unreadable_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "ok.txt").write_text("Fine.")
    (tmp_path / "locked.jsonl").write_text("{}")
    (tmp_path / "sub" / "x.txt").write_text("Hidden by permissions.")
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("locked.jsonl"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        if str(path).endswith("sub"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    articles, errors = read_all(tmp_path)
    assert [a.body for a in articles] == ["Fine."]
    assert [str(e) for e in errors] == [
        f"{tmp_path}/locked.jsonl: permission denied",
        f"{tmp_path}/sub: cannot list folder: permission denied",
    ]


def test_file_deleted_between_discover_and_read(tmp_path: Path) -> None:
    (tmp_path / "gone.html").write_text("<p>x</p>")
    (tmp_path / "kept.txt").write_text("Still here.")
    found = list(discover([tmp_path]))
    (tmp_path / "gone.html").unlink()
    results = [r for path in found for r in read_file(path)]
    assert [str(r) if isinstance(r, IngestError) else r.body for r in results] == [
        f"{tmp_path}/gone.html: no such file or directory",
        "Still here.",
    ]


def test_read_file_unsupported_suffix(tmp_path: Path) -> None:
    assert [str(e) for e in read_file(tmp_path / "x.docx")] == [
        f"{tmp_path}/x.docx: unsupported file type '.docx'"
    ]


# --- clean_text properties ----------------------------------------------------------

_HOSTILE_CHARS = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "\x07",
        "\x9b",
        "\x9d",
        "\x90",
        "\x9c",
        "\\",
        "\r",
        "\n",
        "\r\n",
        "\t",
        "\x00",
        "\x7f",
        "\x85",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\u200f",
        "\ufeff",
        "\ud800",
        "\udfff",
        " ",
        "\u00a0",
        "\u3000",
        "e",
        "\u0301",
        "\u1100",
        "\u1161",
        "31m",
        ";",
        "52",
        "\x1b\\",
        "0",
        "A",
        "é",
    ]
)
_TEXT = st.lists(st.one_of(_HOSTILE_CHARS, st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_clean_text_properties(raw: str) -> None:
    out = clean_text(raw)
    assert not has_unsafe_chars(out)
    assert clean_text(out) == out
    assert Content(out).plain == out
    assert Text(out).plain == out
    assert path_text(path_text(raw)) == path_text(raw)
    assert not has_unsafe_chars(path_text(raw))
