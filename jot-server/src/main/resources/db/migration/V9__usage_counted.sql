-- A pending batch is added up in two steps: its counts go to the quota totals (usage_buckets) within about a second of
-- arriving, so that used-up quotas are announced quickly, and to the usage rows later, many batches at once (every
-- 10 s, and before every usage read): what 20 guards ship for the same minute is then written once, not once per
-- second. This column says the first step is done; the second deletes the row.
ALTER TABLE usage_pending ADD COLUMN counted BOOLEAN NOT NULL DEFAULT FALSE;
