-- The per-minute usage rows on H2: a plain table; the usage job deletes rows it has rolled up to hours.
CREATE TABLE usage_minutes (
    start_at  BIGINT       NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    audience  VARCHAR(255) NOT NULL,
    route     VARCHAR(255) NOT NULL,
    status    VARCHAR(3)   NOT NULL,
    requests  BIGINT       NOT NULL,
    PRIMARY KEY (start_at, subject, client_id, audience, route, status)
);
CREATE INDEX usage_minutes_subject_idx ON usage_minutes (subject, start_at);
CREATE INDEX usage_minutes_client_idx ON usage_minutes (client_id, start_at);
