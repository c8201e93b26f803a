-- Machine credentials (issue 13): API keys (owned by a user) and OAuth clients (owned by the deployment) in one
-- store, the scope and audience of sessions, and the acting admin of audit events. One schema for H2
-- (MODE=PostgreSQL) and PostgreSQL.

-- One credential: kind 'api_key' (owner_id set: deleted with its user) or 'client' (owner_id NULL).
-- scopes and audiences are space-separated; an empty audiences means every registered API.
CREATE TABLE credentials (
    id         VARCHAR(36)   NOT NULL PRIMARY KEY,
    kind       VARCHAR(8)    NOT NULL,
    owner_id   VARCHAR(36)   REFERENCES users (id) ON DELETE CASCADE,
    name       VARCHAR(512)  NOT NULL,
    scopes     VARCHAR(4200) NOT NULL,
    audiences  VARCHAR(8400) NOT NULL DEFAULT '',
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT credentials_kind_check CHECK (
           (kind = 'api_key' AND owner_id IS NOT NULL)
        OR (kind = 'client' AND owner_id IS NULL))
);
CREATE INDEX credentials_owner_id_idx ON credentials (owner_id);

-- A credential's secrets: an API key has one, a client at most two live ones (rotation without downtime; the
-- limit is kept under the credential's row lock). Only the SHA-256 of a secret is stored (base64url, 43
-- characters): secrets carry 190 random bits, so no salt or slow hash is needed (OWASP ASVS 5.0 V6.5.2). The
-- UNIQUE index is the lookup of every token request: one SHA-256 and one indexed read. `start` is the first 8
-- characters, for people to recognise a secret in a list.
CREATE TABLE credential_secrets (
    id            VARCHAR(36) NOT NULL PRIMARY KEY,
    credential_id VARCHAR(36) NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    secret_hash   VARCHAR(64) NOT NULL,
    start         VARCHAR(8)  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Written at most once a minute per secret (see LastUsed), never on every request.
    last_used_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT credential_secrets_secret_hash_key UNIQUE (secret_hash)
);
CREATE INDEX credential_secrets_credential_id_idx ON credential_secrets (credential_id);

-- What a session's tokens carry: the scope granted at login (space-separated) and the audience. NULL (sessions
-- from before V6): the user scopes and the default audience of the day.
ALTER TABLE sessions ADD COLUMN scope VARCHAR(4200);
ALTER TABLE sessions ADD COLUMN audience VARCHAR(2048);
-- The admin API lists live sessions newest first (GET /admin/sessions) and users in creation order.
CREATE INDEX sessions_created_at_idx ON sessions (created_at, id);
CREATE INDEX users_created_at_idx ON users (created_at, id);

-- Who did it: the admin whose request changed something (NULL for the user's own actions and the CLI).
ALTER TABLE audit ADD COLUMN actor_id VARCHAR(36);
CREATE INDEX audit_event_idx ON audit (event);
