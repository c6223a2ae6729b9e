-- Plans, their tokens (hashes only), rounds, accepted proposals and the
-- audit log. Times are Unix milliseconds (UTC).
CREATE TABLE plans (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	scenario        BLOB NOT NULL,        -- the scenario as submitted (JSON)
	options         BLOB NOT NULL,        -- councils.LiveOptions (JSON)
	created_at      INTEGER NOT NULL,
	status          TEXT NOT NULL,        -- open | converged | stopped
	round_deadline  INTEGER NOT NULL DEFAULT 0 -- seconds, 0 = none
);

CREATE TABLE tokens (
	hash        BLOB PRIMARY KEY,         -- SHA-256 of the token
	plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	role        TEXT NOT NULL,            -- facilitator | observer | council
	council_id  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE rounds (
	plan_id    TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	number     INTEGER NOT NULL,
	prices     BLOB NOT NULL,             -- JSON array, catalogue order
	opened_at  INTEGER NOT NULL,
	deadline   INTEGER,                   -- NULL = none
	closed_at  INTEGER,                   -- NULL while open
	result     BLOB,                      -- totals when closed (JSON)
	PRIMARY KEY (plan_id, number)
);

CREATE TABLE proposals (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	round       INTEGER NOT NULL,
	council_id  TEXT NOT NULL,
	ref         TEXT NOT NULL DEFAULT '',
	body        BLOB NOT NULL,            -- councils.ProposalDoc (JSON)
	verdict     BLOB NOT NULL,            -- councils.Verdict (JSON)
	source      TEXT NOT NULL,            -- human | standin
	created_at  INTEGER NOT NULL
);
CREATE INDEX proposals_plan_round ON proposals(plan_id, round, id);
CREATE UNIQUE INDEX proposals_ref ON proposals(plan_id, council_id, ref) WHERE ref <> '';

CREATE TABLE audit (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,
	type        TEXT NOT NULL,
	round       INTEGER,
	council_id  TEXT NOT NULL DEFAULT '',
	detail      BLOB NOT NULL
);
CREATE INDEX audit_plan ON audit(plan_id, seq);
