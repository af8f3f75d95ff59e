-- API keys of the gateway. Only the SHA-256 hash of a key is stored; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    id                  UUID PRIMARY KEY,
    tenant              VARCHAR(100) NOT NULL,
    name                VARCHAR(200) NOT NULL,
    role                VARCHAR(20)  NOT NULL,
    key_hash            CHAR(64)     NOT NULL UNIQUE,
    key_prefix          VARCHAR(20)  NOT NULL,
    requests_per_second DOUBLE PRECISION,
    burst               INT,
    created_by          UUID,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at          TIMESTAMPTZ
);
CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);

-- Listing runs by data set or by model name, and the version lookups of inference.
CREATE INDEX runs_dataset ON runs (dataset_id);
CREATE INDEX models_tenant_name ON models (tenant, name, version DESC);
