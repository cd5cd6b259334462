-- The durable outbox (scanner_app/outbox/): every write meant for an inventory system,
-- recorded in the same transaction as the workflow state that caused it, then delivered
-- by the relay exactly once. It lives in the inventory database because the workflows
-- (dispatch, receive, assemble) keep their state here: one SQLite transaction covers both,
-- which a second database file could not give (a transaction over ATTACHed WAL databases
-- is not atomic across the files).
-- Times are seconds since the epoch (UTC), taken from this station's clock.

CREATE TABLE outbox_entries (
    entry_id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of recording, never reused
    target            TEXT NOT NULL,  -- the inventory system it is for: 'embedded', 'zoho:<organization_id>'
    document          TEXT NOT NULL,  -- entries of one document are delivered in entry_id order
    kind              TEXT NOT NULL,  -- what to do, e.g. 'serial.validate_and_map'
    payload           TEXT NOT NULL CHECK (json_valid(payload)),
    state             TEXT NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'in_flight', 'delivered', 'failed', 'parked', 'discarded')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   REAL NOT NULL,
    -- 1 when an earlier attempt may have reached the inventory system (a timeout after
    -- sending, a crash while in flight): ask it whether the write was applied before sending
    check_before_send INTEGER NOT NULL DEFAULT 0 CHECK (check_before_send IN (0, 1)),
    last_error        TEXT,           -- the whole error, for support
    vendor_message    TEXT,           -- the inventory system's own words, for the person resolving it
    result            TEXT CHECK (result IS NULL OR json_valid(result)),  -- e.g. the vendor's id, once delivered
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL
);
-- The relay's question: which open entries come first in their document, and when are they due.
CREATE INDEX outbox_open_by_document ON outbox_entries (document, entry_id)
    WHERE state IN ('pending', 'in_flight', 'failed', 'parked');
CREATE INDEX outbox_by_state ON outbox_entries (state, next_attempt_at);

-- What people did to entries (retry, discard with its reason): kept for support.
CREATE TABLE outbox_actions (
    action_id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id  INTEGER NOT NULL REFERENCES outbox_entries (entry_id),
    action    TEXT NOT NULL CHECK (action IN ('retried', 'discarded')),
    reason    TEXT,
    at        REAL NOT NULL
);
CREATE INDEX outbox_actions_by_entry ON outbox_actions (entry_id);

-- The embedded backend's serial number mappings (validate-and-map for outgoing documents):
-- which document each serial went out with, and from which bin. Keyed by the serial's
-- number rather than its row, with no foreign key, so that a catalogue import or sync
-- that replaces serial rows neither fails on nor forgets a mapping.
CREATE TABLE embedded_serial_mappings (
    item_id      TEXT NOT NULL,
    serialnumber TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    warehouse_id TEXT,
    bin_id       TEXT,
    mapped_at    REAL NOT NULL,
    PRIMARY KEY (item_id, serialnumber)
) WITHOUT ROWID;
