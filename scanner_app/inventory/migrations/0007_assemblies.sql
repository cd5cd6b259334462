-- Assemblies (scanner_app/workflows/assembly.py): a kit (composite item) being built at
-- a kitting bench, and each component unit ticked off for it, written as it is accepted
-- so a crash loses nothing the screen showed. Completing an assembly records its outbox
-- entries (create, confirm, build: one document keyed by its reference) in the same
-- transaction that marks it completed; its state afterwards is its entries'.

CREATE TABLE assemblies (
    assembly_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    reference    TEXT NOT NULL UNIQUE, -- sent as the assembly's reference_number: finds it again after a lost answer
    kit_item_id  TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),  -- kits to build
    warehouse_id TEXT NOT NULL,
    bin_id       TEXT,                 -- NULL: the warehouse's stock, wherever it is
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'cancelled')),
    created_at   REAL NOT NULL,
    completed_at REAL
);
CREATE INDEX assemblies_open ON assemblies (state) WHERE state = 'open';

-- Each accepted component scan: one unit, one serial, or a quantity of one batch.
CREATE TABLE assembly_units (
    assembly_id  INTEGER NOT NULL REFERENCES assemblies (assembly_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,  -- scan order within the assembly
    item_id      TEXT NOT NULL,
    quantity     REAL NOT NULL CHECK (quantity > 0),
    serialnumber TEXT,
    batch_id     TEXT,
    scanned_at   REAL NOT NULL,
    PRIMARY KEY (assembly_id, position)
) WITHOUT ROWID;
-- "Is this serial already in another assembly?": one index search per scan.
CREATE INDEX assembly_units_by_serial ON assembly_units (item_id, serialnumber) WHERE serialnumber IS NOT NULL;

-- The embedded backend's assemblies (its "bundles"): created, confirmed, then built, when
-- the kit's stock goes up and its components' stock, serials and batches go down, in one
-- transaction. Keyed by the reference, so each step is applied once however often it is sent.
CREATE TABLE embedded_bundles (
    reference    TEXT PRIMARY KEY,
    kit_item_id  TEXT NOT NULL,
    quantity     REAL NOT NULL,
    warehouse_id TEXT NOT NULL,
    bin_id       TEXT,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'built')),
    payload      TEXT NOT NULL CHECK (json_valid(payload)),
    created_at   REAL NOT NULL,
    built_at     REAL
) WITHOUT ROWID;
