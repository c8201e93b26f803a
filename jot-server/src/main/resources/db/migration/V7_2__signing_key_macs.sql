-- Each signing-key row is authenticated: an HMAC-SHA256, under a key derived from the master key, over its kid,
-- algorithm, status, public key and dates (KeyMac). A row whose MAC does not verify is not published and is logged,
-- so write access to the database alone cannot plant a verification key. Rows from before are given theirs at the
-- first start that knows MACs, while no row has one yet.
ALTER TABLE signing_keys ADD COLUMN row_mac VARCHAR(64);

-- The kid of the HS256 key: random, made once and kept here so that every instance and every restart signs with
-- the same one (a kid derived from the secret would publish a hash of it).
CREATE TABLE server_values (
    value_name VARCHAR(64)  NOT NULL PRIMARY KEY,
    value_text VARCHAR(256) NOT NULL
);
