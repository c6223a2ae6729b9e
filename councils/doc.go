// Package councils holds the domain of a participatory plan: the scenario
// format, councils and their proposals, the checks on proposals, the
// simulated councils' models and the one round process (Process) that
// drives a planning.Board with them, headless (Run), live and in replay.
//
// Choices where docs/spec/economy.md ("Councils as people") is silent:
//
//   - A council with both adjust and round_to adjusts first and rounds the
//     adjusted result; "the unrounded answer" a worker falls back to is
//     the adjusted one.
//   - Adjusting moves good by good; a good in the standing proposal that
//     the answer lacks keeps (1 − λ) of its quantity.
//   - Rounding is of the float64's exact value: the float64 written 0.1
//     is a little above the decimal 0.1, so rounded up to 1 figure it is
//     0.2; one written 0.3 is a little below, so rounded down it is 0.2.
//     Rounding twice the same way changes nothing.
//   - A worker council whose adjusted result fails any of the board's
//     checks (planning.Check) takes x*; a consumer council's is scaled by
//     budget/cost when it fails.
//   - Generated needs (AddPeople) are a fraction 0.1–0.4 of the least a
//     council requests at the scenario's prices and at the equilibrium of
//     the economy without needs, so they cost well within its budget.
//   - Bounds on every number (limits.go) are the engine's, not the spec's.
package councils
