-- The Unicode TS #39 skeleton of each username (see Usernames.skeleton): two names with one skeleton look alike
-- ("paypal", "paypa1", Cyrillic "раураl"), so the UNIQUE constraint refuses the second, race-safely, as the one on
-- username_normalized does for equal names. Rows from before are filled in at start-up (UserRepository); a name
-- that collides with an earlier one keeps NULL (NULLs are distinct on both databases).
ALTER TABLE users ADD COLUMN username_skeleton VARCHAR(1024);
ALTER TABLE users ADD CONSTRAINT users_username_skeleton_key UNIQUE (username_skeleton);
