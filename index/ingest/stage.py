"""The enrichment stage on its own (``newsdesk enrich``): files in, enriched records out.

Files are found and read exactly as ``add`` reads them; NER runs in the
worker pool of :mod:`index.enrich.pool` or on a Dask cluster
(:mod:`index.enrich.cluster`), and the records come out in input order, the
same bytes whatever ran them. This is ingest's, not enrich's: it reads input
files and writes the record format of :mod:`index.ingest.sources.enriched`,
and :mod:`index.enrich` knows only articles.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from index.enrich.cluster import DaskPool
from index.enrich.ner import default_model_name
from index.enrich.pool import EnrichPool
from index.ingest.sources import discover, read_file
from index.ingest.sources.enriched import dump_record
from index.models import Article, EnrichedArticle, IngestError

__all__ = ["ENRICH_BATCH", "EnrichReport", "enrich_paths"]

#: Articles per NER task of ``newsdesk enrich``. The batches are the same
#: whatever runs them (in-process, worker processes, Dask), so the output is too.
ENRICH_BATCH = 64


class _Runner(Protocol):
    """What runs NER batches for :func:`enrich_paths`: an EnrichPool or a Dask pool."""

    @property
    def window(self) -> int:
        """How many batches to keep in flight."""
        ...

    def submit_labelled(self, articles: Sequence[Article]) -> Any:
        """Start a batch; ``.result()`` gives ``(model label, enriched articles)``."""
        ...

    def close(self) -> None:
        """Stop."""
        ...


@dataclass(slots=True)
class EnrichReport:
    """What ``newsdesk enrich`` did."""

    files: int = 0
    articles: int = 0
    errors: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def enrich_paths(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    model: str | None = None,
    workers: int = 0,
    dask_address: str | None = None,
    report: EnrichReport | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    batch_articles: int = ENRICH_BATCH,
) -> Iterator[str]:
    """The enrichment stage over files: one enriched record per article, in input order.

    Files are found and read exactly as ``add`` does (bad input is one error,
    the rest goes on); an input that is already an enriched record is enriched
    again with this model. Reading overlaps NER: batches of ``batch_articles``
    are enriched in worker processes (or in-process with ``workers=0``), or on the Dask
    cluster at ``dask_address``; the output is the same bytes either way.

    Args:
        inputs: Files and folders.
        model: The spaCy model (None for the default).
        workers: NER worker processes (0: in this process); ignored with Dask.
        dask_address: A Dask scheduler address (``tcp://host:8786``), or None.
        report: Filled with counts, errors and notes as the run goes.
        on_error: Called with each input error as it happens.
        on_note: Called with each note as it happens.
        batch_articles: Articles per NER task.

    Yields:
        Record lines (see :mod:`index.ingest.sources.enriched`), each ending in a newline.

    Raises:
        ValueError: The model cannot be loaded.
        index.enrich.cluster.DistributedError: Dask is missing, the scheduler
            cannot be reached, or a task failed on the cluster.
    """
    report = report if report is not None else EnrichReport()
    model_name = model or default_model_name()
    runner: _Runner
    if dask_address:
        runner = DaskPool(dask_address, model_name)
    else:
        runner = EnrichPool(model_name, workers)
    try:
        in_flight: deque[Any] = deque()
        articles = _read_articles(inputs, report, on_error, on_note)
        for batch in _batches(articles, max(1, batch_articles)):
            in_flight.append(runner.submit_labelled(batch))
            while len(in_flight) >= runner.window:
                label, items = in_flight.popleft().result()
                report.articles += len(items)
                yield from (dump_record(item, label) + "\n" for item in items)
        while in_flight:
            label, items = in_flight.popleft().result()
            report.articles += len(items)
            yield from (dump_record(item, label) + "\n" for item in items)
    finally:
        runner.close()


def _read_articles(
    inputs: Sequence[str | os.PathLike[str]],
    report: EnrichReport,
    on_error: Callable[[IngestError], None] | None,
    on_note: Callable[[str], None] | None,
) -> Iterator[Article]:
    """The articles of the inputs in order, reporting errors and notes as they come."""

    def fail(err: IngestError) -> None:
        report.errors.append(err)
        if on_error is not None:
            on_error(err)

    for found in discover(inputs):
        if isinstance(found, IngestError):
            fail(found)
            continue
        report.files += 1
        notes: list[str] = []
        for item in read_file(found, notes):
            if isinstance(item, IngestError):
                fail(item)
            else:
                yield item.article if isinstance(item, EnrichedArticle) else item
        for note in notes:
            report.notes.append(note)
            if on_note is not None:
                on_note(note)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
