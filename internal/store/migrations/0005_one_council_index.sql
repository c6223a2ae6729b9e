-- A council's proposals were indexed twice, by proposals_ref (its refs,
-- unique) and proposals_plan_council (its pages, in id order), and each
-- accepted proposal paid for both in the writer: BenchmarkGroupCommit
-- 24.6–29.8 µs a write against 21.0–23.2 µs without the second, the load
-- test's regression against f066448. One index now does both: every
-- proposal is in proposals_council, by council, with its ref (NULL when
-- empty, and NULLs never collide, so only refs are unique). A council's
-- page sorts the ids of its own entries (pages.go), a few per round.
CREATE UNIQUE INDEX proposals_council ON proposals(plan_id, council_id, (nullif(ref, '')));
DROP INDEX IF EXISTS proposals_plan_council;
DROP INDEX IF EXISTS proposals_ref;
