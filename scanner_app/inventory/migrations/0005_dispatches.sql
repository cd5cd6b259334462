-- Dispatches (scanner_app/workflows/dispatch.py): the outgoing document being packed, and
-- each serial scanned for it, written as it is accepted so a crash loses nothing the
-- screen showed. Completing a dispatch records its outbox entries in the same
-- transaction that marks it completed and stores each serial's entry_id; a serial's
-- state afterwards (validating, mapped, failed) is its outbox entry's.

CREATE TABLE dispatches (
    dispatch_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type  TEXT NOT NULL,   -- salesorder, package, invoice, transfer_order, ...
    entity_id    TEXT NOT NULL,   -- the document's id or number
    warehouse_id TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'cancelled')),
    created_at   REAL NOT NULL,
    completed_at REAL
);
CREATE INDEX dispatches_open ON dispatches (state) WHERE state = 'open';

CREATE TABLE dispatch_serials (
    dispatch_id     INTEGER NOT NULL REFERENCES dispatches (dispatch_id) ON DELETE CASCADE,
    item_id         TEXT NOT NULL,
    serialnumber    TEXT NOT NULL,
    bin_id          TEXT,            -- NULL: not known yet, needed before completion
    bin_from_scan   INTEGER NOT NULL DEFAULT 0 CHECK (bin_from_scan IN (0, 1)),
    position        INTEGER NOT NULL, -- scan order within the dispatch
    scanned_at      REAL NOT NULL,
    entry_id        INTEGER,          -- the outbox entry that maps it, once completed
    PRIMARY KEY (dispatch_id, item_id, serialnumber)
) WITHOUT ROWID;
-- "Is this serial already in another dispatch?": one index search per scan.
CREATE INDEX dispatch_serials_by_serial ON dispatch_serials (item_id, serialnumber);

-- Small per-station choices kept with the station's data (e.g. the dispatch warehouse).
CREATE TABLE station_preferences (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
