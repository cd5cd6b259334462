"""The inventory: what a scanned code names, and where things are.

Plain Python, no Qt. ``models`` holds the dataclasses every layer shares. The embedded
SQLite inventory (the default backend, and the station's cache):

- ``store``: :class:`~scanner_app.inventory.store.InventoryStore`, the database file,
  its per-thread connections and transactions, and small readers;
- ``migrations`` and ``migrations/NNNN_*.sql``: the schema and its versions;
- ``code_keys``: how codes are keyed in the lookup index, and their precedence;
- ``lookup``: a :class:`~scanner_app.codes.Classification` in, a ``LookupResult`` out;
- ``records``: rows back into dataclasses;
- ``importer``: JSON (Zoho's shapes) and CSV catalogue files, all or nothing; its
  reading pass is ``catalogue_reader``, ``stock_reader``, ``record_fields`` and
  ``existing``, its writing pass ``catalogue_writer``, its rows ``catalogue_rows``;
- ``demo`` and ``demo/catalogue.json``: the catalogue a first run installs.
- ``serial_register``: a serial-number register outside the station (Pack.cloud) as the
  core sees it (``RegisteredSerial``, the ``SerialRegister`` protocol); ``product_links``
  (and its import reading, ``product_link_reader``): which item each register product is;
  ``register_checks``: a register serial's lookup and dispatch pre-validation.
"""
