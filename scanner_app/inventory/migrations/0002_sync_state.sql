-- Catalogue sync with a cloud inventory (scanner_app/sync/): how far the last successful
-- sync got, and when the serial numbers and batches of each tracked item were fetched.
-- Times are seconds since the epoch (UTC), taken from this station's clock.

-- One row per source the store is synced from, e.g. 'zoho:10234695' (an organisation):
-- a station moved to another organisation starts again with a full sync.
CREATE TABLE sync_state (
    source               TEXT PRIMARY KEY,
    last_kind            TEXT NOT NULL CHECK (last_kind IN ('full', 'incremental')),
    last_started_at      REAL NOT NULL,  -- the next incremental sync asks for changes since about then
    last_finished_at     REAL NOT NULL,
    last_full_started_at REAL NOT NULL,
    full_item_count      INTEGER NOT NULL DEFAULT 0  -- items and kits the last full sync listed
) WITHOUT ROWID;

-- When an item's serial numbers and batches (and its own record) were last fetched.
CREATE TABLE item_details_fetched (
    item_id    TEXT PRIMARY KEY REFERENCES items (item_id) ON DELETE CASCADE,
    fetched_at REAL NOT NULL
) WITHOUT ROWID;
