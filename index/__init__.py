"""newsdesk's headless core: ingest, NER, the Whoosh index and the SQLite store.

Never imports Textual. The read API is :class:`index.library.facade.Library`; the
write side is :func:`index.ingest.writer.add_paths`. Submodules are imported on
demand, so ``import index`` is cheap.
"""
