// Package learning is the default price rule of the facilitation board
// ("learning"): it learns from the councils' proposals how each council
// answers prices and how far it moves each round, solves the economy it
// has learned, and publishes that economy's equilibrium prices within a
// trust region (docs/facilitation.md explains it for an economist).
//
// Like package planning it is pure: standard library only, no I/O, clock,
// goroutines or logging, and deterministic. It reads only what a real
// board knows (planning.Plan and planning.Round), never a council's model.
package learning
