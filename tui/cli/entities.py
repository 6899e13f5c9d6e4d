"""The entity commands of the CLI: ``entity``, ``alias`` and ``entities --explain``."""

from __future__ import annotations

import argparse

from index.errors import LibraryError
from index.layout import resolve_library_path
from index.models import EntityPage
from index.safe_text import plural
from tui.cli.output import mention_json, print_json, stdout_console
from tui.cli.support import open_library

__all__ = ["add_entity_parsers", "cmd_alias", "cmd_entity", "page_json", "sparkline"]

_BARS = "▁▂▃▄▅▆▇█"


def add_entity_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register ``entity`` and ``alias`` on the subcommand parser."""
    entity = sub.add_parser(
        "entity", parents=[common], help="one entity: aliases, timeline, co-occurring entities"
    )
    entity.add_argument("entity", metavar="ENTITY", help="an entity key or name (or alias)")
    entity.add_argument(
        "--mentions", type=int, default=10, metavar="N", help="recent mentions to include"
    )
    entity.add_argument("--json", action="store_true", help="JSON output")

    alias = sub.add_parser(
        "alias", parents=[common], help="curate entities: merge, split, rename, hide, list"
    )
    ops = alias.add_subparsers(dest="op", metavar="OP", parser_class=type(sub._parser_class()))
    ops.required = True
    merge = ops.add_parser("merge", parents=[common], help="merge entity A into entity B")
    merge.add_argument("source", metavar="A")
    merge.add_argument("target", metavar="B")
    split = ops.add_parser("split", parents=[common], help="undo a merge, or split off an alias")
    split.add_argument("name", metavar="A")
    rename = ops.add_parser("rename", parents=[common], help="show entity A as NAME")
    rename.add_argument("name", metavar="A")
    rename.add_argument("new_name", metavar="NAME", help='the new name ("" for the default)')
    hide = ops.add_parser("hide", parents=[common], help="hide entity A (a false positive)")
    hide.add_argument("name", metavar="A")
    unhide = ops.add_parser("unhide", parents=[common], help="show a hidden entity again")
    unhide.add_argument("name", metavar="A")
    listing = ops.add_parser("list", parents=[common], help="what aliases.toml says")
    listing.add_argument("--json", action="store_true", help="JSON output")


def sparkline(values: list[int]) -> str:
    """A one-line bar chart of counts (empty months are the lowest bar)."""
    if not values:
        return ""
    top = max(values) or 1
    return "".join(
        " " if v == 0 else _BARS[min(len(_BARS) - 1, (v * len(_BARS) - 1) // top)] for v in values
    )


def page_json(page: EntityPage, mentions: list) -> dict:
    """The JSON shape of ``newsdesk entity --json``."""
    ent = page.entity
    return {
        "key": ent.key,
        "name": ent.name,
        "label": ent.label,
        "articles": ent.articles,
        "mentions": ent.mentions,
        "hidden": ent.hidden,
        "aliases": [{"name": name, "mentions": n} for name, n in page.aliases],
        "labels": page.labels,
        "timeline": [{"month": month, "mentions": n} for month, n in page.timeline],
        "undated_mentions": page.undated,
        "cooccurring": [
            {
                "key": c.entity.key,
                "name": c.entity.name,
                "label": c.entity.label,
                "sentences": c.sentences,
                "articles": c.articles,
            }
            for c in page.cooccurring
        ],
        "recent_mentions": [mention_json(m) for m in mentions],
    }


def cmd_entity(args: argparse.Namespace) -> int:
    """``newsdesk entity ENTITY [--json]``: the entity page."""
    from rich.text import Text

    with open_library(args) as lib:
        ent = lib.resolve_entity(args.entity, include_hidden=True)
        page = lib.entity_page(ent.key)
        if page is None:
            raise LibraryError(f"no entity is named {args.entity!r}")
        mentions = lib.mentions(ent.key, limit=max(0, args.mentions)) if args.mentions else []
    if args.json:
        print_json(page_json(page, mentions))
        return 0
    console = stdout_console()
    head = Text(f"{ent.name}", style="bold")
    counts = f"{plural(ent.articles, 'article')}, {plural(ent.mentions, 'mention')}"
    head.append(f"  {ent.label}  [{ent.key}]  {counts}")
    if ent.hidden:
        head.append("  (hidden)")
    console.print(head)
    aliases = ", ".join(f"{name} ({n})" for name, n in page.aliases)
    console.print(Text(f"aliases: {aliases}"))
    if page.timeline:
        first, last = page.timeline[0][0], page.timeline[-1][0]
        bars = sparkline([n for _m, n in page.timeline])
        console.print(Text(f"timeline: {first} {bars} {last}"))
    if page.cooccurring:
        console.print(Text("appears with:"))
        for c in page.cooccurring:
            console.print(
                Text(f"  {c.entity.name} ({c.entity.label}): {plural(c.sentences, 'sentence')}, ")
                + Text(plural(c.articles, "article"))
            )
    if mentions:
        console.print(Text("recent mentions:"))
        for m in mentions:
            console.print(Text(f"  {m.date or 'undated'}  {m.title}: {m.context}"))
    return 0


def cmd_alias(args: argparse.Namespace) -> int:
    """``newsdesk alias merge|split|rename|hide|unhide|list``."""
    from rich.text import Text

    from index.library.curator import Curator

    curator = Curator(resolve_library_path(args.library))
    if args.op == "list":
        listing = curator.listing()
        if args.json:
            print_json(
                {
                    "path": listing.path,
                    "merge": dict(listing.merges),
                    "split": listing.splits,
                    "hide": listing.hidden,
                    "rename": dict(listing.renames),
                }
            )
            return 0
        console = stdout_console()
        console.print(Text(f"# {listing.path}"))
        for source, target in listing.merges:
            console.print(Text(f"merge   {source} -> {target}"))
        for name in listing.splits:
            console.print(Text(f"split   {name}"))
        for name in listing.hidden:
            console.print(Text(f"hide    {name}"))
        for source, target in listing.renames:
            console.print(Text(f"rename  {source} -> {target}"))
        return 0
    if args.op == "merge":
        message = curator.merge(args.source, args.target)
    elif args.op == "split":
        message = curator.split(args.name)
    elif args.op == "rename":
        message = curator.rename(args.name, args.new_name)
    elif args.op == "hide":
        message = curator.hide(args.name)
    else:
        message = curator.unhide(args.name)
    stdout_console().print(Text(message))
    return 0
