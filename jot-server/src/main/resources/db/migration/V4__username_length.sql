-- Usernames are 3-64 characters (code points, after NFKC; see Usernames). VARCHAR(64) did not hold all of them:
-- H2 counts a VARCHAR's length in UTF-16 units (a letter outside the BMP, e.g. Adlam or Gothic, takes two), and
-- the lower-cased unique key can be longer than the name itself (U+0130 lower-cases to two characters), which
-- overflowed on PostgreSQL too. 256 holds every username the rules accept, on both databases.
ALTER TABLE users ALTER COLUMN username SET DATA TYPE VARCHAR(256);
ALTER TABLE users ALTER COLUMN username_normalized SET DATA TYPE VARCHAR(256);
