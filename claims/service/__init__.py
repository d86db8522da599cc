"""The HTTP service over a store (``claims serve``): add articles, read claims, search.

Example::

    from claims.service import create_app, StoreState
    from claims.store import Store
    app = create_app(StoreState(Store.open("s")))   # an ASGI app, e.g. for uvicorn.run(app)
"""

from claims.service.app import create_app
from claims.service.state import StoreState

__all__ = ["StoreState", "create_app"]
