-- Indexes for the paginated reads (pages.go). A plan's proposals page by
-- id through (plan_id, id), a council's through (plan_id, council_id, id).
-- Rejected attempts page through a partial index, which costs nothing on
-- the other audit events (one per accepted proposal); a plan's events
-- page through audit_plan (plan_id, seq).
CREATE INDEX proposals_plan_id ON proposals(plan_id, id);
CREATE INDEX proposals_plan_council ON proposals(plan_id, council_id, id);
CREATE INDEX audit_rejected ON audit(plan_id, council_id, seq) WHERE type = 'proposal.rejected';
