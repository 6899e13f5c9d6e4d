"""``newsdesk enrich PATH... -o OUT.jsonl``: the enrichment stage on its own.

Reads the inputs as ``add`` does and writes one enriched record per article
(see :mod:`index.ingest.sources.enriched`) to ``OUT``, for a later ``newsdesk add
OUT.jsonl`` that runs no NER. Nothing here imports spaCy or Dask at import
time: the stage is imported inside :func:`cmd_enrich`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.errors import ModelUnavailable
from index.layout import open_atomic
from index.safe_text import escape_unsafe, plural
from tui.cli.output import error, warn
from tui.cli.support import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, natural, stop_on_hangup

__all__ = ["add_enrich_parser", "cmd_enrich"]


def add_enrich_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the ``enrich`` subcommand on the ``newsdesk`` subparsers."""
    enrich = sub.add_parser(
        "enrich",
        help="find entities and sentences only, writing enriched records (JSONL) for a later add",
        description="Run NER over files and folders (read as 'add' reads them) and write one"
        " enriched record per article, in input order; 'newsdesk add OUT.jsonl' then skips NER.",
    )
    enrich.add_argument("paths", nargs="+", metavar="PATH")
    enrich.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="the JSONL file to write (replaced whole when done); '-' writes to stdout",
    )
    enrich.add_argument("--model", metavar="NAME", help="spaCy model (default: en_core_web_sm)")
    enrich.add_argument(
        "--workers",
        type=natural,
        default=None,
        metavar="N",
        help="NER worker processes (default: one per core; 0: in this process)",
    )
    enrich.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run NER on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786);"
        " --workers is then ignored",
    )
    return enrich


def _write_stdout(lines: Iterable[str]) -> None:
    out = sys.stdout
    for line in lines:
        out.write(line)
    out.flush()


def _write_file(target: Path, lines: Iterator[str]) -> bool:
    """Write ``lines`` to a temporary file beside ``target``, then rename it over ``target``.

    A killed or failed run leaves ``target`` as it was (and no partial file),
    and so does a run that enriched nothing (a missing input, say). The file
    gets the mode a new file of the user's would (0666 less the umask).

    Returns:
        Whether ``target`` was written.
    """
    first = next(lines, None)
    if first is None:
        return False
    with open_atomic(target, mode=None) as out:
        out.write(first)
        for line in lines:
            out.write(line)
    return True


def cmd_enrich(args: argparse.Namespace) -> int:
    """``newsdesk enrich PATH... -o OUT [--model NAME] [--workers N] [--dask ADDRESS]``."""
    from concurrent.futures.process import BrokenProcessPool

    from index.enrich.cluster import DistributedError
    from index.ingest.stage import EnrichReport, enrich_paths

    stop_on_hangup()
    to_stdout = args.output == "-"
    target = Path(args.output)
    if not to_stdout and target.is_dir():
        error(f"cannot write {args.output}: is a directory")
        return EXIT_FAILED
    if not to_stdout and not target.parent.is_dir():
        error(f"cannot write {args.output}: no such directory {str(target.parent)!r}")
        return EXIT_FAILED
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    report = EnrichReport()
    lines = enrich_paths(
        args.paths,
        model=args.model,
        workers=workers,
        dask_address=args.dask,
        report=report,
        on_error=lambda err: error(str(err)),
        on_note=warn,
    )
    written = True
    try:
        if to_stdout:
            _write_stdout(lines)
        else:
            written = _write_file(target, lines)
    except (DistributedError, ModelUnavailable) as err:
        error(str(err))
        return EXIT_FAILED
    except BrokenProcessPool as err:
        error(f"an NER worker process died ({err}); {args.output} was not written")
        return EXIT_FAILED
    except BrokenPipeError:
        raise  # the reader of stdout went away: the CLI's main handles it
    except OSError as err:
        error(f"cannot write {args.output}: {err.strerror or err}")
        return EXIT_FAILED
    except KeyboardInterrupt as err:
        where = "" if to_stdout else f"; {args.output} was not written"
        error(f"{str(err) or 'interrupted'}: stopped{where}")
        return EXIT_INTERRUPTED
    finally:
        lines.close()
    dest = "stdout" if to_stdout else escape_unsafe(args.output)
    if not written:
        dest = f"nothing written; {dest} left as it was"
    sys.stderr.write(
        f"newsdesk: enriched {plural(report.articles, 'article')} from"
        f" {plural(report.files, 'file')}; {plural(len(report.errors), 'error')} -> {dest}\n"
    )
    return EXIT_FAILED if report.errors else EXIT_OK
