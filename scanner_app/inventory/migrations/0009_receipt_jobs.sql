-- Receipts as jobs (scanner_app/workflows/receiving_jobs.py): a `scanner-app receive` run
-- survives a kill and is never received twice. The command's plan (its rows and options)
-- is saved in job_plans (0008, kind 'receipt') in the transaction that creates the
-- receipt; each row, once recorded, is marked here in the transaction that writes its
-- line, so a re-run or `jobs resume` records exactly the rows not yet marked.

-- The command's content (sha256 of its place and rows): the same command run again finds
-- its receipt by it (and by its reference). NULL: a receipt started in the window.
ALTER TABLE receipts ADD COLUMN content_hash TEXT;
-- Set (with state 'closed') when `scanner-app jobs cancel` cancelled the receipt: its
-- reference and undelivered lines are released.
ALTER TABLE receipts ADD COLUMN cancelled_at REAL;
CREATE INDEX receipts_by_reference ON receipts (reference) WHERE reference IS NOT NULL;
CREATE INDEX receipts_by_content ON receipts (content_hash) WHERE content_hash IS NOT NULL;

CREATE TABLE receipt_rows_recorded (
    receipt_id INTEGER NOT NULL REFERENCES receipts (receipt_id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,  -- the row's index in the plan's rows (0-based)
    position   INTEGER NOT NULL,  -- the receipt line it was recorded into
    PRIMARY KEY (receipt_id, ordinal)
) WITHOUT ROWID;
