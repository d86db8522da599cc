"""The store: a corpus kept between runs, with claim ids that stay stable as articles are added.

Example::

    from claims.store import Store, StoreError, IngestReport
    store = Store.open("s", create=True)
    report = store.ingest(["seeds/"])       # IngestReport: added, replaced, unchanged, claims…
    analysis = store.load(since="2023-06")  # a claims.analysis.Analysis; group ids = claim ids
    store.generation                        # raised by every committed ingest
    store.close()
"""

from claims.store.schema import SCHEMA_VERSION, StoreError
from claims.store.store import Store
from claims.store.window import Window
from claims.store.writer import IngestReport

__all__ = ["IngestReport", "SCHEMA_VERSION", "Store", "StoreError", "Window"]
