-- Data sets: a task's examples, already split, with what the task says about its answers.
CREATE TABLE datasets (
    id             UUID PRIMARY KEY,
    tenant         VARCHAR(100) NOT NULL,
    name           VARCHAR(200) NOT NULL,
    instruction    TEXT         NOT NULL DEFAULT '',
    output_classes JSONB,
    loss           VARCHAR(50)  NOT NULL DEFAULT 'exact_match',
    train_count    INT          NOT NULL,
    dev_count      INT          NOT NULL,
    test_count     INT          NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (tenant, name)
);

CREATE TABLE dataset_examples (
    dataset_id UUID        NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    split      VARCHAR(10) NOT NULL,
    position   INT         NOT NULL,
    input      TEXT        NOT NULL,
    target     TEXT        NOT NULL,
    PRIMARY KEY (dataset_id, split, position)
);

-- Runs: one training of a DLN on a data set. A trainer owns a run while its lease is valid.
CREATE TABLE runs (
    id                UUID PRIMARY KEY,
    tenant            VARCHAR(100)     NOT NULL,
    dataset_id        UUID             NOT NULL REFERENCES datasets (id),
    model_name        VARCHAR(200)     NOT NULL,
    status            VARCHAR(20)      NOT NULL,
    settings          JSONB            NOT NULL,
    forward_backend   VARCHAR(100)     NOT NULL,
    backward_backend  VARCHAR(100)     NOT NULL,
    scoring_backend   VARCHAR(100)     NOT NULL,
    seed              BIGINT           NOT NULL,
    token_budget      BIGINT,
    tokens_used       BIGINT           NOT NULL DEFAULT 0,
    iteration         INT              NOT NULL DEFAULT 0,
    iterations        INT              NOT NULL,
    dev_accuracy      DOUBLE PRECISION,
    best_dev_accuracy DOUBLE PRECISION,
    test_accuracy     DOUBLE PRECISION,
    best_p1           TEXT,
    best_p2           TEXT,
    error             TEXT,
    cancel_requested  BOOLEAN          NOT NULL DEFAULT FALSE,
    lease_owner       VARCHAR(200),
    lease_until       TIMESTAMPTZ,
    attempts          INT              NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX runs_claimable ON runs (status, lease_until);
CREATE INDEX runs_tenant ON runs (tenant, created_at);

-- One row per training iteration, written with the checkpoint in one transaction.
CREATE TABLE run_iterations (
    run_id         UUID             NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    iteration      INT              NOT NULL,
    p1             TEXT             NOT NULL,
    p2             TEXT             NOT NULL,
    dev_accuracy   DOUBLE PRECISION,
    elbo           DOUBLE PRECISION,
    elbo1          DOUBLE PRECISION,
    elbo2          DOUBLE PRECISION,
    batch_accuracy DOUBLE PRECISION,
    candidates     JSONB            NOT NULL,
    tokens_used    BIGINT           NOT NULL,
    created_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, iteration)
);

CREATE TABLE run_checkpoints (
    run_id     UUID PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    iteration  INT         NOT NULL,
    state      JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Trained DLNs: immutable versions, and movable aliases such as 'prod'.
CREATE TABLE models (
    id             UUID PRIMARY KEY,
    tenant         VARCHAR(100) NOT NULL,
    name           VARCHAR(200) NOT NULL,
    version        INT          NOT NULL,
    layers         INT          NOT NULL,
    p1             TEXT         NOT NULL,
    p2             TEXT         NOT NULL,
    output_classes JSONB,
    loss           VARCHAR(50)  NOT NULL,
    settings       JSONB        NOT NULL,
    templates      JSONB        NOT NULL,
    metrics        JSONB        NOT NULL,
    forward_backend VARCHAR(100) NOT NULL,
    source_run_id  UUID,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    UNIQUE (tenant, name, version)
);
CREATE UNIQUE INDEX models_source_run ON models (source_run_id) WHERE source_run_id IS NOT NULL;

CREATE TABLE model_aliases (
    tenant     VARCHAR(100) NOT NULL,
    name       VARCHAR(200) NOT NULL,
    alias      VARCHAR(100) NOT NULL,
    version    INT          NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name, alias)
);

-- Each trainer instance reads the results of its runs from one partition of the results topic,
-- which it holds by a lease here.
CREATE TABLE trainer_slots (
    partition_no INT PRIMARY KEY,
    owner        VARCHAR(200),
    lease_until  TIMESTAMPTZ
);
