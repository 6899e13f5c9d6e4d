"""The enrichment stage on a Dask cluster (``newsdesk enrich --dask ADDRESS``).

Dask is an optional extra (``pip install 'newsdesk[dask]'``) and is imported
here only, lazily, when a :class:`DaskPool` is made. Each batch of articles is
one task; :func:`enrich_on_worker` runs it with the model the worker process
loaded on its first task (the per-process cache of
:func:`index.enrich.pool.get_enricher`). Results are taken back in submission
order, so the records come out in input order and byte-for-byte as the local
path writes them.

A worker needs newsdesk (with the ``dask`` extra) and the spaCy model installed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from index.models import Article, EnrichedArticle

__all__ = ["CONNECT_TIMEOUT", "DaskPool", "DistributedError", "enrich_on_worker"]

#: Seconds to wait for the scheduler to answer, and for it to have a worker.
CONNECT_TIMEOUT = 10.0

# A Dask worker runs tasks in threads; spaCy gains nothing from threads (NER
# holds the GIL) and a pipeline is not meant to be shared by them, so the
# batches of one process take turns.
_NER_LOCK = threading.Lock()


class DistributedError(Exception):
    """Dask is missing, the cluster cannot be reached, or a task failed there (one line)."""


def enrich_on_worker(model: str, articles: Sequence[Article]) -> tuple[str, list[EnrichedArticle]]:
    """On a Dask worker: enrich one batch with that process's cached model.

    Args:
        model: The spaCy model name.
        articles: The batch.

    Returns:
        The model's ``"<name> <version>"`` and one enriched article per input, in order.
    """
    from index.enrich.pool import enrich_labelled

    with _NER_LOCK:
        return enrich_labelled(model, articles)


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    detail = lines[0][:200] if lines else ""
    return f"{type(err).__name__}: {detail}" if detail else type(err).__name__


class _Result:
    """A Dask future whose failure is one :class:`DistributedError`."""

    def __init__(self, future: Any) -> None:
        self._future = future

    def result(self) -> tuple[str, list[EnrichedArticle]]:
        try:
            return self._future.result()
        except Exception as err:
            raise DistributedError(
                f"enrichment failed on a Dask worker ({_first_line(err)})"
            ) from err


class DaskPool:
    """Enrich batches on a Dask cluster.

    Args:
        address: The scheduler's address, such as ``tcp://host:8786``.
        model: The spaCy model name (installed on every worker).
        timeout: Seconds to wait for the scheduler, and for its first worker.

    Raises:
        DistributedError: Dask is not installed, or the scheduler cannot be
            reached or has no worker.
    """

    def __init__(self, address: str, model: str, *, timeout: float = CONNECT_TIMEOUT) -> None:
        try:
            from dask.distributed import Client
        except ImportError as err:
            raise DistributedError(
                "--dask needs Dask, which is not installed: install newsdesk[dask]"
                " (pip install 'newsdesk[dask]')"
            ) from err
        self.model = model
        self.address = address
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except Exception as err:
            raise DistributedError(
                f"cannot reach the Dask scheduler at {address} ({_first_line(err)})"
            ) from err
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except Exception as err:
            self.client.close()
            raise DistributedError(
                f"the Dask scheduler at {address} has no workers (start one with"
                f" 'dask worker {address}')"
            ) from err
        threads = sum(self.client.nthreads().values())
        self.window = max(2, 2 * threads)

    def __enter__(self) -> DaskPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit_labelled(self, articles: Sequence[Article]) -> _Result:
        """Send a batch to the cluster; ``.result()`` gives ``(model label, enriched articles)``."""
        future = self.client.submit(enrich_on_worker, self.model, list(articles), pure=False)
        return _Result(future)

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        try:
            self.client.close()
        except Exception:  # noqa: BLE001, S110 - already gone: nothing to close
            pass
