-- Receipts (scanner_app/workflows/receiving.py): goods arriving at the receiving bench.
-- Each line is written as it is scanned, and its outbox entries (batch.assign for a
-- batch-tracked item, serial.receive for a serial-tracked unit) are recorded in the same
-- transaction, so the worker assigns batches while the clerk keeps scanning, and a crash
-- loses nothing the screen showed. A line's state (queued, assigning, assigned, conflict,
-- failed) is its entries' states.

CREATE TABLE receipts (
    receipt_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    reference    TEXT,              -- purchase order or receive number; optional
    warehouse_id TEXT NOT NULL,
    bin_id       TEXT,              -- the receiving bin; NULL: the warehouse without a bin
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    created_at   REAL NOT NULL,
    closed_at    REAL
);
CREATE INDEX receipts_open ON receipts (state) WHERE state = 'open';

CREATE TABLE receipt_lines (
    receipt_id                INTEGER NOT NULL REFERENCES receipts (receipt_id) ON DELETE CASCADE,
    position                  INTEGER NOT NULL,  -- the line's number within the receipt (scan order)
    item_id                   TEXT NOT NULL,
    kind                      TEXT NOT NULL CHECK (kind IN ('batch', 'serial')),
    batch_number              TEXT,
    manufacturer_batch_number TEXT,
    manufactured_date         TEXT,   -- YYYY-MM-DD
    expiry_date               TEXT,   -- YYYY-MM-DD
    serialnumber              TEXT,
    quantity                  REAL NOT NULL CHECK (quantity > 0),
    cancelled                 INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    created_at                REAL NOT NULL,
    PRIMARY KEY (receipt_id, position),
    CHECK ((kind = 'batch' AND batch_number IS NOT NULL AND serialnumber IS NULL)
        OR (kind = 'serial' AND serialnumber IS NOT NULL AND quantity = 1))
) WITHOUT ROWID;
-- one live line per item and batch in a receipt (a second scan adds to its quantity)
CREATE UNIQUE INDEX receipt_lines_one_batch ON receipt_lines (receipt_id, item_id, batch_number)
    WHERE kind = 'batch' AND cancelled = 0;
-- "is this new serial already being received?": one index search per scan
CREATE INDEX receipt_lines_by_serial ON receipt_lines (item_id, serialnumber)
    WHERE kind = 'serial' AND cancelled = 0;

-- The outbox entries of a line: usually one; more when quantity was added after the
-- first entry had already gone (the extra quantity is an entry of its own).
CREATE TABLE receipt_line_entries (
    receipt_id INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    entry_id   INTEGER NOT NULL,
    quantity   REAL NOT NULL,
    PRIMARY KEY (receipt_id, position, entry_id),
    FOREIGN KEY (receipt_id, position) REFERENCES receipt_lines (receipt_id, position) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX receipt_line_entries_by_entry ON receipt_line_entries (entry_id);

-- The embedded backend's record of what it applied (exactly once: an entry whose answer
-- was lost is found here instead of being applied twice). Keyed by the payload's key.
CREATE TABLE embedded_receipt_applications (
    delivery_key    TEXT PRIMARY KEY,
    batch_id        TEXT,
    serialnumber_id TEXT,
    reused          INTEGER NOT NULL DEFAULT 0,
    applied_at      REAL NOT NULL
) WITHOUT ROWID;
