-- Indexes for the paginated reads (pages.go): a plan's proposals by id, a
-- council's by id, and a plan's audit events of one type by seq.
CREATE INDEX proposals_plan_id ON proposals(plan_id, id);
CREATE INDEX proposals_plan_council ON proposals(plan_id, council_id, id);
CREATE INDEX audit_plan_type ON audit(plan_id, type, council_id, seq);
