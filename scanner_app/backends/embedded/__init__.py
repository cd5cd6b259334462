"""The embedded inventory as a backend: the local SQLite store (``scanner_app.inventory``)
is the inventory system itself. ``backend``: its :class:`~scanner_app.backends.registry.Backend`."""
