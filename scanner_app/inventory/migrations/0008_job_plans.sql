-- Job plans (scanner_app/workflows/dispatch_run.py, assembly_run.py): what the command
-- that started an open job asked for (its arguments: the whole serial list, the kit and
-- its components), saved in the transaction that creates the job, so `scanner-app jobs
-- resume` (scanner_app/jobs) can finish the WHOLE command after a kill, and a re-run of the
-- same command finds the job it left. A job started in the window has no plan.

CREATE TABLE job_plans (
    kind     TEXT NOT NULL,     -- "dispatch", "assembly", "receipt"
    number   INTEGER NOT NULL,  -- the job's row id (dispatch_id, assembly_id, receipt_id)
    plan     TEXT NOT NULL CHECK (json_valid(plan)),
    saved_at REAL NOT NULL,
    PRIMARY KEY (kind, number)
) WITHOUT ROWID;

-- "Is there an open or completed dispatch for this document here?": a re-run's first read.
CREATE INDEX dispatches_by_document ON dispatches (entity_type, entity_id, warehouse_id);

-- "How much of this batch do other assemblies hold?": the batch claim's read.
CREATE INDEX assembly_units_by_batch ON assembly_units (batch_id) WHERE batch_id IS NOT NULL;
