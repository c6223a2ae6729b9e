// Package proof commits a closed round to a Merkle root over its counted
// proposals and proves a council's proposal is in it
// (docs/spec/protocol.md "Proof that a proposal counted", docs/privacy.md):
// RFC 6962 hashing, leaves the RFC 8785 canonical JSON of {council,
// proposal, round, salt}, and the rounds chained by chain_n =
// SHA-256(0x02 ‖ chain_{n−1} ‖ root_n), chain_{−1} 32 zero bytes.
//
// Proofs are verified, and the nodes a proof is made of chosen, by
// github.com/transparency-dev/merkle; canonical JSON is checked by
// github.com/gowebpki/jcs. For speed at 100,000 leaves a round, leaves are
// written by AppendLeaf and the tree is kept by levels (Tree); both are
// tested against those libraries. It knows nothing of plans: the caller
// gives it ids and proposals as counted, and stores what it returns.
package proof
