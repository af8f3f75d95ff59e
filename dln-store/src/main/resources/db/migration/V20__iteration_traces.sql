-- What each training step saw, for the step explorer and `dln runs trace`: the prompts it started from and its
-- batch's examples with their forward pass and posterior samples (bounded by io.dln.core.train.StepTrace).
-- Written in the same transaction as its iteration row and checkpoint; an iteration that only validated has none.
CREATE TABLE run_iteration_traces (
    run_id    UUID  NOT NULL,
    iteration INT   NOT NULL,
    trace     JSONB NOT NULL,
    PRIMARY KEY (run_id, iteration),
    FOREIGN KEY (run_id, iteration) REFERENCES run_iterations (run_id, iteration) ON DELETE CASCADE
);
