-- The tokens each tenant was given per day (UTC), against the operator's ceiling
-- dln.gateway.tenants.<tenant>.max-tokens-per-day: what its inference calls used, and the token budgets granted to
-- the runs it started or resumed that day. Written by the gateway only.
CREATE TABLE tenant_daily_tokens (
    tenant VARCHAR(100) NOT NULL,
    day    DATE         NOT NULL,
    tokens BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, day)
);
