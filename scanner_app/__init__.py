"""scanner_app: a desktop scanning station for warehouses.

The package is split into a Qt-free core (``codes``, ``inventory``, ``history``,
``workflows``, ``scanning``, ``camera``, ``config``, ``paths``) and the only Qt layer, ``ui``.
A test (tests/test_layering.py) keeps PySide6 out of the core.
"""

__version__ = "0.1.0"
