-- Sessions (refresh-token families), refresh tokens and the access-token denylist (issue 4).

ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP WITH TIME ZONE;

-- One login = one session. Every refresh token and access token it issues names it (access tokens as `sid`).
CREATE TABLE sessions (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Absolute lifetime: no refresh after this, however recently the session was renewed.
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at   TIMESTAMP WITH TIME ZONE,
    end_reason VARCHAR(32)
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Only the SHA-256 of a refresh token is stored: a copy of the database does not hold usable tokens.
CREATE TABLE refresh_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    session_id VARCHAR(36) NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Set once, by a conditional UPDATE: of concurrent refreshes with one token exactly one spends it.
    spent_at   TIMESTAMP WITH TIME ZONE
);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

-- Revoked access tokens: one token (kind 'jti') or every token of a session (kind 'sid'). A row is needed only
-- until no token it covers can still be accepted (expires_at), and is deleted after that.
CREATE TABLE revocations (
    kind       VARCHAR(8)  NOT NULL,
    id         VARCHAR(64) NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX revocations_revoked_at_idx ON revocations (revoked_at);
