"""Safe output for the CLI: JSON with every non-ASCII character escaped, text without controls.

Library text was cleaned at ingest, but file names and error details were
not; everything printed here goes through :func:`index.safe_text.escape_unsafe`
or ``json.dumps(..., ensure_ascii=True)``, so no byte printed can drive the
terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from index.errors import LibraryError
from index.models import Hit, Mention
from index.safe_text import escape_unsafe

__all__ = ["error", "mention_json", "print_hits", "print_json", "stdout_console", "warn"]

MATCH_STYLE = "bold underline"


def stdout_console() -> Console:
    """A rich console on stdout: styles only on a colour-capable terminal, never markup."""
    return Console(
        file=sys.stdout,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
        no_color="NO_COLOR" in os.environ,
    )


def print_json(value: Any) -> None:
    """Print a JSON document (ASCII only: control characters stay escaped)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=True, indent=2) + "\n")


def mention_json(m: Mention) -> dict[str, Any]:
    """The JSON shape of one mention (``mentions`` and ``entity`` print it)."""
    return {
        "article_id": m.article_id,
        "title": m.title,
        "date": m.date,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "context": m.context,
    }


def error(message: str) -> None:
    """Print one error line on stderr."""
    sys.stderr.write(f"newsdesk: {escape_unsafe(message)}\n")


def warn(message: str) -> None:
    """Print one warning line on stderr."""
    sys.stderr.write(f"newsdesk: note: {escape_unsafe(message)}\n")


def _styled(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    out = Text(escape_unsafe(text))
    if len(out.plain) == len(text):
        for start, end in spans:
            out.stylize(MATCH_STYLE, start, end)
    return out


def print_hits(
    console: Console, hits: Sequence[Hit], total: int, offset: int = 0, exact: bool = True
) -> None:
    """Print a ranked list of hits with the matched words emphasised ("about N" if estimated)."""
    for rank, hit in enumerate(hits, start=offset + 1):
        head = Text(f"{rank:>3}. ")
        head.append_text(_styled(hit.title, hit.title_highlights))
        meta = "  ".join(x for x in (hit.date or "undated", escape_unsafe(hit.source)) if x)
        head.append(f"  [{meta}]  {hit.id}", style="dim")
        console.print(head)
        if hit.snippet:
            body = Text("     ")
            body.append_text(_styled(hit.snippet, hit.highlights))
            console.print(body)
    shown = f"{offset + 1}-{offset + len(hits)}" if hits else "0"
    count = total if exact else f"about {total}"
    console.print(Text(f"{shown} of {count} articles", style="dim"))


def unexpected(err: BaseException) -> None:
    """Report an error with no known cause: one line on stderr, the traceback in a log file."""
    from tui.crash import write_traceback

    path = write_traceback(err)
    where = f" (traceback in {path})" if path is not None else ""
    cause = err if str(err) else type(err).__name__
    text = (
        str(cause)
        if isinstance(err, LibraryError)
        else f"unexpected error: {type(err).__name__}: {err}"
    )
    error(text + where)
