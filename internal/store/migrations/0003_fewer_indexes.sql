-- proposals_plan_id (plan_id, id) cost each accepted proposal as much
-- again in the writer as the row itself (BenchmarkGroupCommit: the
-- writer's system time 0.37 s against 0.15 s for 20,000 writes) and was
-- the load test's regression. A plan's proposals are stored round after
-- round (a round's proposals, stand-ins included, all before the next
-- round opens), so their id order is their (round, id) order, and a page
-- of them reads proposals_plan_round instead (pages.go).
DROP INDEX IF EXISTS proposals_plan_id;
