-- Brute-force throttle state (issue 10), shared by every instance on one database. One row per key:
--   account:<normalised username>   failed password checks for that name (known or not)
--   address:<ip>                    failed password checks from that client address
--   pair:<username>@<ip>            both; known_until marks an address the account logged in from lately
--   register:<ip>                   registrations from that address
-- A row whose failures are forgotten (no failure for a day) and whose known_until has passed is deleted by the
-- purge job. Delays are computed from (failures, last_failure_at) when read: nothing else is stored.
CREATE TABLE throttles (
    throttle_key    VARCHAR(400) NOT NULL PRIMARY KEY,
    failures        INTEGER      NOT NULL,
    last_failure_at TIMESTAMP WITH TIME ZONE,
    known_until     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX throttles_last_failure_at_idx ON throttles (last_failure_at);
