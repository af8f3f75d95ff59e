-- A run can be paused between two iterations (status PAUSED) and resumed: a guided run pauses after every
-- iteration; any queued or running run may be asked to pause after the iteration under way.
ALTER TABLE runs ADD COLUMN guided BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE runs ADD COLUMN pause_requested BOOLEAN NOT NULL DEFAULT FALSE;
