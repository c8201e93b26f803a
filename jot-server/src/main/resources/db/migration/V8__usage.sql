-- Usage metering and quotas (issue 11). Counts arrive in batches from guards (POST /usage/batches) and are kept
-- at three granularities, each request counted in exactly one of them: per minute (usage_minutes, made by the
-- vendor migration V8_1: partitioned by day on PostgreSQL), per hour (rows rolled up from minutes after
-- --usage-minute-retention) and per day (from hours after --usage-hour-retention). Times are epoch seconds (UTC)
-- of the period's start. An absent client_id or audience is stored as '' so that it can be part of the key.
CREATE TABLE usage_hours (
    start_at  BIGINT       NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    audience  VARCHAR(255) NOT NULL,
    route     VARCHAR(255) NOT NULL,
    status    VARCHAR(3)   NOT NULL,
    requests  BIGINT       NOT NULL,
    PRIMARY KEY (start_at, subject, client_id, audience, route, status)
);
CREATE INDEX usage_hours_subject_idx ON usage_hours (subject, start_at);
CREATE INDEX usage_hours_client_idx ON usage_hours (client_id, start_at);

CREATE TABLE usage_days (
    start_at  BIGINT       NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    audience  VARCHAR(255) NOT NULL,
    route     VARCHAR(255) NOT NULL,
    status    VARCHAR(3)   NOT NULL,
    requests  BIGINT       NOT NULL,
    PRIMARY KEY (start_at, subject, client_id, audience, route, status)
);
CREATE INDEX usage_days_subject_idx ON usage_days (subject, start_at);
CREATE INDEX usage_days_client_idx ON usage_days (client_id, start_at);

-- Requests guards refused, per reason (an AuthResult.Reason code) and minute; kept --usage-hour-retention.
CREATE TABLE usage_rejected (
    start_at BIGINT      NOT NULL,
    reason   VARCHAR(64) NOT NULL,
    requests BIGINT      NOT NULL,
    PRIMARY KEY (start_at, reason)
);

-- Batch ids already counted: a batch retried after a timeout is counted once. Inserted in the transaction that
-- adds its counts; purged after 7 days (a guard gives up on a batch long before).
CREATE TABLE usage_batches (
    batch_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    received_at BIGINT      NOT NULL
);
CREATE INDEX usage_batches_received_at_idx ON usage_batches (received_at);

-- Batches accepted but not yet added to the usage tables, in a compact binary form (PendingCodec).
-- POST /usage/batches stores the id and this row in one transaction and answers; the usage-apply job (and every usage read) adds
-- pending batches up and applies many together, then deletes them.
CREATE TABLE usage_pending (
    batch_id    VARCHAR(64) NOT NULL PRIMARY KEY,
    received_at BIGINT      NOT NULL,
    body        BYTEA       NOT NULL
);

-- Running totals per quota bucket ('sub:<subject>' or 'client:<client_id>') for the current UTC day and month,
-- added to with each batch: the quota check reads one row per bucket, never the usage tables.
CREATE TABLE usage_buckets (
    bucket   VARCHAR(300) NOT NULL,
    period   VARCHAR(5)   NOT NULL,
    start_at BIGINT       NOT NULL,
    requests BIGINT       NOT NULL,
    PRIMARY KEY (start_at, period, bucket)
);

-- Quotas set by an admin for one bucket; a NULL limit falls back to the --default-* setting.
CREATE TABLE usage_quotas (
    bucket     VARCHAR(300) NOT NULL PRIMARY KEY,
    per_minute BIGINT,
    per_day    BIGINT,
    per_month  BIGINT,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Quota exhaustions travel on the revocation feed as kind 'quota' (event: quota, never deny); their id is
-- '<policy>:<limit>:<sub|client>:<value>', longer than a token or session id.
ALTER TABLE revocations ALTER COLUMN id SET DATA TYPE VARCHAR(320);
