"""The ``newsdesk`` command: the reader when bare, a scriptable CLI with subcommands.

Importing this module is cheap: Textual loads only when the reader starts, and
spaCy only inside ``add`` and ``rebuild``.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence

from index.errors import LibraryError, LibraryMissing
from index.layout import (
    bundled_seeds,
    default_library_path,
    finish_swap,
    resolve_library_path,
)
from tui.cli.commands import run_command
from tui.cli.completion import add_completion_parser, completion_script
from tui.cli.enrich import add_enrich_parser, cmd_enrich
from tui.cli.entities import add_entity_parsers
from tui.cli.output import error, unexpected
from tui.cli.support import EXIT_FAILED, EXIT_USAGE, natural, positive
from tui.launch import release

__all__ = ["build_parser", "main"]

_DESCRIPTION = "A keyboard-driven terminal reader for a corpus of news articles."


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 2."""

    def error(self, message: str):  # noqa: D102 - argparse's API
        error(f"{message} (see '{self.prog} --help')")
        raise SystemExit(EXIT_USAGE)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdesk")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsdesk`` and its subcommands."""
    library_help = (
        "library directory (default: $NEWSDESK_LIBRARY, else the user data dir newsdesk/default)"
    )
    parser = _Parser(prog="newsdesk", description=_DESCRIPTION)
    parser.add_argument("--library", metavar="DIR", help=library_help)
    # A subcommand's --library must not reset the one given before it
    # ('newsdesk --library DIR add ...'), so its default is "not given".
    common = _Parser(add_help=False)
    common.add_argument("--library", metavar="DIR", default=argparse.SUPPRESS, help=library_help)
    parser.add_argument("--config", metavar="FILE", help="reader config file (TOML)")
    parser.add_argument("--version", action="version", version=f"newsdesk {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    add = sub.add_parser("add", parents=[common], help="add files and folders to the library")
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.add_argument("--model", metavar="NAME", help="spaCy model (recorded in the library)")
    add.add_argument(
        "--prune", action="store_true", help="drop articles whose source file no longer exists"
    )
    add.add_argument(
        "--no-wait", action="store_true", help="fail instead of waiting when another add is writing"
    )
    add.add_argument(
        "--workers",
        type=natural,
        default=None,
        metavar="N",
        help="NER worker processes (default: all cores for large adds; 0: none)",
    )
    add.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    rebuild = sub.add_parser(
        "rebuild", parents=[common], help="recreate the library from the files it recorded"
    )
    rebuild.add_argument("--model", metavar="NAME", help="switch to another spaCy model")
    rebuild.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    search = sub.add_parser("search", parents=[common], help="search the library")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=positive, default=20, metavar="N")
    search.add_argument("--offset", type=natural, default=0, metavar="N")
    search.add_argument("--json", action="store_true", help="JSON output")

    show = sub.add_parser("show", parents=[common], help="print one article")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true", help="JSON output")
    show.add_argument("--all-labels", action="store_true", help="include dates and numbers")

    ents = sub.add_parser("entities", parents=[common], help="list entities, most articles first")
    ents.add_argument("--label", metavar="L", help="only this kind (PERSON, ORG, GPE, ...)")
    ents.add_argument("--limit", type=positive, default=50, metavar="N")
    ents.add_argument("--all-labels", action="store_true", help="include dates and numbers")
    ents.add_argument("--json", action="store_true", help="JSON output")

    mentions = sub.add_parser("mentions", parents=[common], help="list the mentions of an entity")
    mentions.add_argument("entity", metavar="ENTITY", help="an entity key or name")
    mentions.add_argument("--limit", type=positive, default=50, metavar="N")
    mentions.add_argument("--offset", type=natural, default=0, metavar="N")
    mentions.add_argument("--json", action="store_true", help="JSON output")

    stats = sub.add_parser("stats", parents=[common], help="library counts and size")
    stats.add_argument("--json", action="store_true", help="JSON output")
    ents.add_argument("--sort", choices=("articles", "mentions", "name"), default="articles")
    ents.add_argument("--filter", metavar="TEXT", default="", help="name or alias contains TEXT")
    ents.add_argument("--hidden", action="store_true", help="include entities hidden by the user")
    ents.add_argument(
        "--explain", metavar="NAME", help="why NAME's entity has its label and its aliases"
    )
    add_entity_parsers(sub, common)
    add_enrich_parser(sub)
    add_completion_parser(sub)
    return parser


def _terminal_problem() -> str | None:
    if os.environ.get("TERM", "") == "dumb":
        return "TERM=dumb"
    if not sys.stdout.isatty():
        return "output is not a terminal"
    if not sys.stdin.isatty():
        return "input is not a terminal"
    return None


def _offer_seeds(root) -> bool:
    """Ask whether to build a library at ``root`` from the bundled seeds (Enter: yes)."""
    count = sum(1 for path in bundled_seeds().iterdir() if path.is_file())
    sys.stderr.write(
        f"newsdesk: no library at {root}. Build one there from the {count} bundled seed"
        " articles? [Y/n] "
    )
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, KeyboardInterrupt):
        answer = ""
    return answer != "" and answer.strip().lower() in ("", "y", "yes")


def run_reader(args: argparse.Namespace) -> int:
    """Open the reader, building the default library from the bundled seeds on first use."""
    problem = _terminal_problem()
    if problem:
        error(
            f"the reader needs a terminal ({problem}); use the CLI instead, e.g."
            " 'newsdesk search QUERY' (see 'newsdesk --help')"
        )
        return EXIT_USAGE
    root = resolve_library_path(args.library)
    finish_swap(root)  # a rebuild stopped mid-swap: its library, not the seeds
    if not (root / "manifest.json").exists():
        if args.library or os.environ.get("NEWSDESK_LIBRARY") or root != default_library_path():
            if not _offer_seeds(root):
                error(f"no library at {root}; create it with 'newsdesk add PATH --library {root}'")
                return EXIT_FAILED
        sys.stderr.write(
            f"newsdesk: first run: building the library {root} from the bundled seed articles\n"
        )
        release()  # NER allocates freely: collect as usual
        # Through the parser, so the add command gets every option's default.
        seeds = build_parser().parse_args(["add", str(bundled_seeds()), "--library", str(root)])
        code = run_command(seeds)
        if code not in (0, 1):
            return code
    from tui.app import make_app
    from tui.config import load_config

    try:
        app = make_app(root, config=load_config(args.config))
    except LibraryError as err:
        error(str(err))
        return EXIT_FAILED
    app.run()
    for line in app.exit_lines:
        sys.stderr.write(line + "\n")
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsdesk`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        release()  # the collector was held off for the reader's start-up only
    try:
        if args.command is None:
            code = run_reader(args)
        elif args.command == "enrich":
            code = cmd_enrich(args)
        elif args.command == "completion":
            sys.stdout.write(completion_script(parser, args.shell))
            code = 0
        else:
            code = run_command(args)
        sys.stdout.flush()
    except LibraryMissing as err:
        error(str(err))
        code = EXIT_FAILED
    except BrokenPipeError:
        # The reader of our output went away (``newsdesk search x | head``): not an error.
        _silence_stdout()
        return EXIT_FAILED
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EIO, errno.EPIPE):
            _silence_stdout()
            error(f"cannot write output: {err.strerror}")
            return EXIT_FAILED
        unexpected(err)
        return EXIT_FAILED
    except Exception as err:  # noqa: BLE001 - a bug: one line here, the traceback in a file
        unexpected(err)
        return EXIT_FAILED
    return code


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
