-- Signing-key lifecycle (issue 4). One schema for H2 (MODE=PostgreSQL) and PostgreSQL.
--
--   next     published in the JWKS, not signing yet (verifiers learn it before it signs)
--   active   signing; exactly one at a time
--   retired  no longer signing; published until the last token it signed has expired (published_until)

ALTER TABLE signing_keys ADD COLUMN activated_at    TIMESTAMP WITH TIME ZONE;
ALTER TABLE signing_keys ADD COLUMN retired_at      TIMESTAMP WITH TIME ZONE;
ALTER TABLE signing_keys ADD COLUMN published_until TIMESTAMP WITH TIME ZONE;
-- 'active' or 'next' while the key holds that place in the ring, NULL once retired. Its UNIQUE constraint is
-- what keeps two instances racing (to create the first key, a next key, or to rotate) from ever making two
-- active or two next keys: NULLs are distinct on both databases, so any number of keys can be retired. (A partial
-- unique index on status would say the same, but H2 has no partial indexes.)
ALTER TABLE signing_keys ADD COLUMN ring_slot       VARCHAR(8);

-- Before V3 every key was 'active'; instances that raced on an empty database could leave two, and all of them
-- signed with the oldest. It stays active; any other becomes retired, still published for a day (more than the
-- longest access token lifetime, 24h), and loses its private half, which no longer has a use.
UPDATE signing_keys SET activated_at = created_at WHERE status = 'active';
UPDATE signing_keys
   SET status = 'retired', retired_at = CURRENT_TIMESTAMP,
       published_until = CURRENT_TIMESTAMP + INTERVAL '1' DAY, private_jwk_encrypted = ''
 WHERE status = 'active'
   AND kid <> (SELECT kid FROM signing_keys WHERE status = 'active' ORDER BY created_at, kid LIMIT 1);
UPDATE signing_keys SET ring_slot = status WHERE status IN ('active', 'next');

ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_ring_slot_key UNIQUE (ring_slot);
-- Each status with its slot and its timestamps. "IS NOT NULL" is spelled out: a comparison with NULL is unknown,
-- and a CHECK passes on unknown.
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_lifecycle_check CHECK (
       (status = 'next' AND ring_slot IS NOT NULL AND ring_slot = 'next')
    OR (status = 'active' AND ring_slot IS NOT NULL AND ring_slot = 'active' AND activated_at IS NOT NULL)
    OR (status = 'retired' AND ring_slot IS NULL AND retired_at IS NOT NULL AND published_until IS NOT NULL));
