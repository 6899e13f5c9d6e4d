"""The CLI subcommands: each takes the parsed arguments and returns an exit code.

Only ``add`` and ``rebuild`` run NER, and they import the enrichment stage
inside the function, so that the reader and the read-only commands never load
spaCy.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from rich.text import Text

from index.errors import AmbiguousEntity, LibraryError, QueryError, UnexpectedError
from index.layout import resolve_library_path
from index.models import NAMED_LABELS
from index.safe_text import plural
from tui.cli.entities import cmd_alias, cmd_entity
from tui.cli.output import (
    error,
    mention_json,
    print_hits,
    print_json,
    stdout_console,
    unexpected,
)
from tui.cli.support import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    open_library,
    stop_on_hangup,
)

__all__ = ["COMMANDS"]


def cmd_add(args: argparse.Namespace) -> int:
    """``newsdesk add PATH... [--model NAME] [--prune]``."""
    from index.ingest.writer import add_paths
    from tui.cli.progress import AddProgress

    stop_on_hangup()
    root = resolve_library_path(args.library)
    with AddProgress(quiet=args.quiet) as progress:
        report = add_paths(
            root,
            args.paths,
            model=args.model,
            prune=args.prune,
            observer=progress,
            wait=not args.no_wait,
            workers=args.workers,
        )
    summary = (
        f"added {plural(report.articles_added, 'article')}"
        f" ({plural(report.mentions_added, 'entity mention')}) from"
        f" {plural(report.files_written, 'file')}; {report.files_unchanged:,} unchanged;"
        f" {report.articles_removed:,} removed; {plural(len(report.errors), 'error')}"
    )
    if report.files_pruned:
        summary += f"; {plural(report.files_pruned, 'missing file')} pruned"
    progress.console.print(f"newsdesk: {summary} -> {root}")
    return EXIT_FAILED if report.errors else EXIT_OK


def cmd_rebuild(args: argparse.Namespace) -> int:
    """``newsdesk rebuild [--model NAME]``."""
    from index.ingest.rebuild import rebuild_library
    from tui.cli.progress import AddProgress

    stop_on_hangup()
    root = resolve_library_path(args.library)
    with AddProgress(quiet=args.quiet) as progress:
        report = rebuild_library(root, model=args.model, observer=progress)
    progress.console.print(
        f"newsdesk: rebuilt {root}: {report.articles_added} articles, {len(report.errors)} errors"
    )
    return EXIT_FAILED if report.errors else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    """``newsdesk search QUERY [--limit N] [--json]``."""
    with open_library(args) as lib:
        page = lib.search(args.query, limit=args.limit, offset=args.offset)
    if args.json:
        print_json(
            {
                "query": args.query,
                "total": page.total,
                "exact": page.exact,
                "hits": [
                    {
                        "id": h.id,
                        "title": h.title,
                        "date": h.date,
                        "source": h.source,
                        "score": round(h.score, 4),
                        "snippet": h.snippet,
                        "highlights": [list(span) for span in h.highlights],
                    }
                    for h in page.hits
                ],
            }
        )
    else:
        print_hits(stdout_console(), page.hits, page.total, page.offset, page.exact)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    """``newsdesk show ID [--json]``."""
    with open_library(args) as lib:
        try:
            view = lib.article(args.id, labels=None if args.all_labels else NAMED_LABELS)
        except KeyError:
            error(f"no article with id {args.id!r}")
            return EXIT_FAILED
    art = view.article
    if args.json:
        print_json(
            {
                "id": art.id,
                "title": art.title,
                "date": art.date,
                "source": art.source,
                "url": art.url,
                "author": art.author,
                "body": art.body,
                "entities": [
                    {"start": e.start, "end": e.end, "label": e.label, "text": e.text, "key": e.key}
                    for e in view.entities
                ],
            }
        )
        return EXIT_OK
    from rich.text import Text

    console = stdout_console()
    console.print(Text(art.title, style="bold"))
    meta = "  ".join(x for x in (art.date or "undated", art.source, art.url, art.author) if x)
    console.print(Text(meta, style="dim"))
    body = Text(art.body)
    for span in view.entities:
        body.stylize("underline", span.start, span.end)
    console.print(Text(""))
    console.print(body)
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    """``newsdesk entities [--label L] [--sort S] [--filter T] [--json] [--explain NAME]``."""
    if args.explain:
        with open_library(args) as lib:
            lines = lib.explain_entity(args.explain)
        if lines[0].startswith("no entity"):
            error(lines[0])
            return EXIT_FAILED
        console = stdout_console()
        for line in lines:
            console.print(Text(line))
        return EXIT_OK
    labels = [args.label.upper()] if args.label else (None if args.all_labels else NAMED_LABELS)
    with open_library(args) as lib:
        known = lib.labels() if args.label else []
        if args.label and labels[0] not in known:
            error(
                f"no entity is labelled {args.label!r} in this library;"
                f" its labels: {', '.join(known)}"
            )
            return EXIT_USAGE
        found = lib.entities(
            labels=labels,
            limit=args.limit,
            sort=args.sort,
            contains=args.filter,
            include_hidden=args.hidden,
            aliases=10,
        )
    if args.json:
        print_json(
            [
                {
                    "key": e.key,
                    "name": e.name,
                    "label": e.label,
                    "articles": e.articles,
                    "mentions": e.mentions,
                    "aliases": [{"name": name, "mentions": n} for name, n in e.aliases],
                    **({"hidden": True} if e.hidden else {}),
                }
                for e in found
            ]
        )
        return EXIT_OK
    from rich.table import Table

    table = Table(
        "name", "kind", "articles", "mentions", "aliases", "key", box=None, header_style="bold"
    )
    for e in found:
        aliases = ", ".join(name for name, _n in e.aliases if name != e.name)
        table.add_row(
            Text(e.name), e.label, str(e.articles), str(e.mentions), Text(aliases), Text(e.key)
        )
    stdout_console().print(table)
    return EXIT_OK


def cmd_mentions(args: argparse.Namespace) -> int:
    """``newsdesk mentions ENTITY [--limit N] [--json]``."""
    with open_library(args) as lib:
        ent = lib.resolve_entity(args.entity)
        found = lib.mentions(ent.key, limit=args.limit, offset=args.offset)
    if args.json:
        print_json(
            {
                "entity": {"key": ent.key, "name": ent.name, "label": ent.label},
                "total": ent.mentions,
                "mentions": [mention_json(m) for m in found],
            }
        )
        return EXIT_OK
    from rich.text import Text

    console = stdout_console()
    console.print(
        Text(
            f"{ent.name} ({ent.label}): {plural(ent.mentions, 'mention')} in"
            f" {plural(ent.articles, 'article')}",
            style="bold",
        )
    )
    for m in found:
        console.print(Text(f"{m.date or 'undated'}  {m.title}  {m.article_id}", style="dim"))
        line = Text("    " + m.context.replace("\n", " "))
        line.stylize("bold underline", 4 + m.start - m.context_start, 4 + m.end - m.context_start)
        console.print(line)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """``newsdesk stats [--json]``."""
    with open_library(args) as lib:
        stats = lib.stats()
    if args.json:
        print_json(asdict(stats))
        return EXIT_OK
    from rich.text import Text

    console = stdout_console()
    for name, value in asdict(stats).items():
        console.print(Text(f"{name.replace('_', ' '):>15}: {value}"))
    return EXIT_OK


def run_command(args: argparse.Namespace) -> int:
    """Run one subcommand, turning every library error into one line and an exit code."""
    # Here rather than at the top: it imports multiprocessing,
    # which the reader's start-up does not need.
    from concurrent.futures.process import BrokenProcessPool

    try:
        return COMMANDS[args.command](args)
    except QueryError as err:
        error(f"bad query: {err}")
        return EXIT_USAGE
    except AmbiguousEntity as err:
        error(str(err))
        return EXIT_USAGE
    except UnexpectedError as err:
        unexpected(err)
        return EXIT_FAILED
    except LibraryError as err:
        error(str(err))
        return EXIT_FAILED
    except BrokenProcessPool as err:
        error(
            f"an NER worker process died ({err}); the library is consistent, run the same"
            " command to finish"
        )
        return EXIT_FAILED
    except KeyboardInterrupt as err:
        reason = str(err) or "interrupted"
        error(f"{reason}: stopped; the library is consistent, run the same command to finish")
        return EXIT_INTERRUPTED


COMMANDS = {
    "add": cmd_add,
    "rebuild": cmd_rebuild,
    "search": cmd_search,
    "show": cmd_show,
    "entities": cmd_entities,
    "mentions": cmd_mentions,
    "stats": cmd_stats,
    "entity": cmd_entity,
    "alias": cmd_alias,
}
