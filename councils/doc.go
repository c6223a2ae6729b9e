// Package councils holds the domain of a participatory plan: the scenario
// format, councils and their proposals, the checks on proposals, the
// simulated councils' models and the headless round loop that drives a
// planning.Board with them.
package councils
