// Package planning is the iteration facilitation board of a participatory
// economy: it publishes indicative prices and budgets, totals the councils'
// proposals, measures the gaps between supply and demand, decides when the
// plan has converged, and moves the prices by a rule.
//
// The package is pure: it imports only the standard library and does no I/O,
// reads no clock, starts no goroutines and logs nothing. The same inputs give
// the same rounds. A rule sees only what a real board knows: the catalogue of
// goods, the prices and budgets it published, and the proposals it received,
// round by round; never a council's model.
//
// The default rule, which learns how councils answer, is package
// planning/learning; package planning/rules names every rule.
package planning
