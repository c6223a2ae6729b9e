-- Privacy and proof (docs/privacy.md). plans.privacy is the facilitator's
-- facilitation.privacy when changed after creation (JSON; NULL = the
-- scenario's). round_commits holds each closed round's Merkle root over
-- its counted proposals, the chain of roots and the leaf hashes (32 bytes
-- each, in leaf order) the inclusion proofs are computed from;
-- round_leaves the leaf data (canonical JSON with its salt) of each
-- council that holds a token, the only ones that may ask for a proof.
ALTER TABLE plans ADD COLUMN privacy BLOB;

CREATE TABLE round_commits (
	plan_id  TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	number   INTEGER NOT NULL,
	size     INTEGER NOT NULL,
	root     BLOB NOT NULL,
	chain    BLOB NOT NULL,
	hashes   BLOB NOT NULL,
	PRIMARY KEY (plan_id, number)
) WITHOUT ROWID;

CREATE TABLE round_leaves (
	plan_id     TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
	number      INTEGER NOT NULL,
	council_id  TEXT NOT NULL,
	idx         INTEGER NOT NULL,
	data        BLOB NOT NULL,
	PRIMARY KEY (plan_id, number, council_id)
) WITHOUT ROWID;
