"""How ``add`` cuts its input into commits: file parts, fresh articles, restored ones.

A batch is a list of :class:`FilePart`: a whole file, or a part of a large
file of plain articles (so that writing one part overlaps the NER of the
next). The writer (:mod:`index.ingest.writer`) commits one batch at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass

from index.enrich.pool import EnrichPool
from index.models import Article, EnrichedArticle
from index.store.db import FileRecord, Store

__all__ = [
    "FilePart",
    "article_of",
    "file_parts",
    "fresh_articles",
    "in_order",
    "restore_missing",
    "streamed",
]


@dataclass(slots=True)
class FilePart:
    """Articles of one file that are written in one commit.

    Attributes:
        rec: The file's ledger entry.
        articles: The articles of this part.
        ids: On the last part, the ids of all the file's articles (they become
            its links); on an earlier part, the ids of this part, added to the
            file's links (never replacing them) so that a prune still finds them.
        last: Whether this is the file's last part, which makes its ledger
            entry final. Earlier parts leave the file ``pending``, so that a
            kill between two parts redoes the file.
    """

    rec: FileRecord
    articles: list[Article | EnrichedArticle]
    ids: list[str]
    last: bool


def file_parts(
    rec: FileRecord, articles: list[Article | EnrichedArticle], *, size: int
) -> list[FilePart]:
    """A file's articles as commit parts.

    A file that holds plain articles (read without entities) is cut into parts
    of ``size`` articles, so that writing one part overlaps the NER of the
    next (as one batch, a large JSONL file would be written only after all its NER).
    Files of enriched records stay whole: they have no NER to overlap, and
    more commits would only mean more merging.
    """
    ids = list(dict.fromkeys(article_of(item).id for item in articles))
    if len(articles) <= size or not any(isinstance(item, Article) for item in articles):
        return [FilePart(rec, articles, ids, last=True)]
    parts = []
    for start in range(0, len(articles), size):
        chunk = articles[start : start + size]
        if start + size >= len(articles):
            parts.append(FilePart(rec, chunk, ids, last=True))
        else:
            own = list(dict.fromkeys(article_of(item).id for item in chunk))
            parts.append(FilePart(rec, chunk, own, last=False))
    return parts


def article_of(item: Article | EnrichedArticle) -> Article:
    """The article itself, with or without its entities."""
    return item.article if isinstance(item, EnrichedArticle) else item


def in_order(
    items: list[Article | EnrichedArticle], enriched: Iterable[EnrichedArticle]
) -> Iterator[EnrichedArticle]:
    """``items`` with each plain article replaced by its enriched twin, in order, lazily.

    Args:
        items: Plain articles and enriched records, mixed.
        enriched: The enrichment of the plain ones, in their order; it is
            consumed only as far as the items reached so far need.
    """
    done = iter(enriched)
    for item in items:
        yield next(done) if isinstance(item, Article) else item


def streamed(
    items: list[Article | EnrichedArticle], futures: Iterable[Future[list[EnrichedArticle]]]
) -> Iterator[EnrichedArticle]:
    """:func:`in_order` over NER tasks: each twin as soon as its task is done.

    Args:
        items: Plain articles and enriched records, mixed.
        futures: The NER tasks of the plain ones, in their order.
    """
    return in_order(items, (item for future in futures for item in future.result()))


def fresh_articles(store: Store, batch, claimed: set[str]) -> list[Article | EnrichedArticle]:
    """The batch's articles that the library does not hold yet, each id once per run.

    Plain articles are still to enrich; enriched records (read with their
    spans) go to the writer as they are. An id already ``claimed`` by an
    earlier batch still queued is skipped (the first copy wins, as it does
    after a kill and a rerun), and is added to ``claimed`` here.
    """
    fresh: list[Article | EnrichedArticle] = []
    for part in batch:
        for item in part.articles:
            article_id = article_of(item).id
            if article_id in claimed:
                continue
            claimed.add(article_id)
            if not store.article_exists(article_id):
                fresh.append(item)
    return fresh


def restore_missing(store: Store, pool: EnrichPool, batch, items) -> list[EnrichedArticle]:
    """Articles of the batch that were in the library when it was queued and are gone now.

    A batch in flight skips the articles the library held; an earlier batch
    may since have removed one of them as an orphan (it moved from a file
    written there to a file of this batch, whose links are not written yet).
    Those are enriched again now, so the move loses nothing.
    """
    have = {item.article.id for item in items}
    missing: dict[str, Article | EnrichedArticle] = {}
    for part in batch:
        for item in part.articles:
            article_id = article_of(item).id
            if article_id not in have and article_id not in missing:
                if not store.article_exists(article_id):
                    missing[article_id] = item
    plain = [item for item in missing.values() if isinstance(item, Article)]
    return list(in_order(list(missing.values()), pool.submit(plain).result() if plain else []))
