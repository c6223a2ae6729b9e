// Package proof commits a closed round to a Merkle root over its counted
// proposals and proves a council's proposal is in it
// (docs/spec/protocol.md "Proof that a proposal counted"): RFC 6962
// hashing (github.com/transparency-dev/merkle), leaves the RFC 8785
// canonical JSON (github.com/gowebpki/jcs) of {council, round, salt,
// proposal}, sorted by council id in byte order, and the rounds chained
// by chain_n = SHA-256(0x02 ‖ chain_{n−1} ‖ root_n), chain_{−1} 32 zero
// bytes. It knows nothing of plans: the caller gives it the ids and the
// proposals as counted, and stores what it returns.
package proof
