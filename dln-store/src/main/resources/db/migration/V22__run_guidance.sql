-- Guided search: what a person told a run (pin, edit, reject a prompt of a layer, or give feedback), who and when.
-- The trainer applies pending actions at the start of the next iteration and marks them applied in the transaction
-- that stores that iteration and its checkpoint, so each is honoured exactly once, crashes included.
CREATE TABLE run_guidance (
    id                   UUID PRIMARY KEY,
    run_id               UUID        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq                  BIGINT GENERATED ALWAYS AS IDENTITY,
    action               VARCHAR(20) NOT NULL,
    layer                INT         NOT NULL,
    prompt               TEXT,
    text                 TEXT,
    author               TEXT        NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_at_iteration INT
);
CREATE INDEX run_guidance_run ON run_guidance (run_id, seq);

-- Set with every new action, so the trainer learns of it from the run row it reads anyway when storing an iteration.
ALTER TABLE runs ADD COLUMN guidance_pending BOOLEAN NOT NULL DEFAULT FALSE;
