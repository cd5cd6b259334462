-- The embedded inventory, modelled on Zoho Inventory's fields.
-- Warehouses are Zoho "locations"; bins are Zoho "storage locations".
-- Every table keyed by a Zoho-style text id is WITHOUT ROWID: a lookup by id is one
-- B-tree search, and there is no hidden rowid to keep in step.

CREATE TABLE warehouses (
    warehouse_id TEXT PRIMARY KEY,
    name         TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE bins (
    bin_id       TEXT PRIMARY KEY,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (warehouse_id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX bins_by_warehouse ON bins (warehouse_id, code);

CREATE TABLE items (
    item_id             TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    sku                 TEXT,
    upc                 TEXT,
    ean                 TEXT,
    isbn                TEXT,
    part_number         TEXT,
    unit                TEXT,
    status              TEXT NOT NULL DEFAULT 'active',
    description         TEXT,
    track_serial_number INTEGER NOT NULL DEFAULT 0,
    track_batch_number  INTEGER NOT NULL DEFAULT 0,
    is_composite        INTEGER NOT NULL DEFAULT 0,
    gtin14              TEXT
) WITHOUT ROWID;

-- Stock on hand per item, warehouse and (optionally) bin.
CREATE TABLE item_stock (
    item_id      TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    warehouse_id TEXT NOT NULL REFERENCES warehouses (warehouse_id),
    bin_id       TEXT REFERENCES bins (bin_id),
    quantity     REAL NOT NULL
);
CREATE UNIQUE INDEX item_stock_by_item ON item_stock (item_id, warehouse_id, ifnull(bin_id, ''));

CREATE TABLE batches (
    batch_id                  TEXT PRIMARY KEY,
    item_id                   TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    batch_number              TEXT NOT NULL,
    manufacturer_batch_number TEXT,
    manufactured_date         TEXT,
    expiry_date               TEXT,
    balance_quantity          REAL NOT NULL DEFAULT 0,
    status                    TEXT NOT NULL DEFAULT 'active',
    warehouse_id              TEXT REFERENCES warehouses (warehouse_id),
    bin_id                    TEXT REFERENCES bins (bin_id)
) WITHOUT ROWID;
CREATE INDEX batches_by_item ON batches (item_id, expiry_date);

CREATE TABLE serial_numbers (
    serialnumber_id   TEXT PRIMARY KEY,
    serialnumber      TEXT NOT NULL,
    item_id           TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    status            TEXT NOT NULL DEFAULT 'active',
    is_transacted_out INTEGER NOT NULL DEFAULT 0,
    warehouse_id      TEXT REFERENCES warehouses (warehouse_id),
    bin_id            TEXT REFERENCES bins (bin_id),
    batch_id          TEXT REFERENCES batches (batch_id)
) WITHOUT ROWID;
-- Zoho keeps a serial number unique per item.
CREATE UNIQUE INDEX serial_numbers_by_item ON serial_numbers (item_id, serialnumber);

-- Components of a composite item (kit): Zoho's mapped_items.
CREATE TABLE composite_mapped_items (
    composite_item_id TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    item_id           TEXT NOT NULL REFERENCES items (item_id),
    quantity          REAL NOT NULL,
    item_order        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (composite_item_id, item_id)
) WITHOUT ROWID;

-- The lookup index: every scannable code -> what it names.
--   code: the match key. GTINs (item upc/ean/isbn) as GTIN-14; every other code
--         (sku, part number, serial, batch and manufacturer batch number, bin code)
--         stripped and case-folded. The original spelling stays in its own table.
--   kind: gtin | sku | part_number | serial | batch | mfr_batch | bin
--   target_id: item_id for gtin/sku/part_number, serialnumber_id, batch_id or bin_id.
CREATE TABLE codes (
    code      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    target_id TEXT NOT NULL,
    -- The table is its own covering index: a lookup is one B-tree search on code.
    PRIMARY KEY (code, kind, target_id)
) WITHOUT ROWID;
-- For replacing the codes of one thing when it is re-imported.
CREATE INDEX codes_by_target ON codes (target_id, kind);
