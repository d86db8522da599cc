"""The HTTP service over a store (``claims serve``): add articles, read claims, search.

Example::

    from claims.service import create_app, StoreState
    from claims.store import Store
    app = create_app(StoreState(Store.open("s")))   # an ASGI app, e.g. for uvicorn.run(app)
"""

__all__ = ["StoreState", "create_app"]


def __getattr__(name):
    # FastAPI loads only when the service is used: every other command imports this
    # package's constants (claims.service.guards) at start-up.
    if name == "create_app":
        from claims.service.app import create_app

        return create_app
    if name == "StoreState":
        from claims.service.state import StoreState

        return StoreState
    raise AttributeError(name)
