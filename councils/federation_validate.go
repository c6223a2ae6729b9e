package councils

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"parecon/planning"
)

// goodUse is a good that a field of the scenario uses, to check that
// someone can supply it.
type goodUse struct{ path, good string }

// federations checks a scenario's federations (docs/spec/economy.md,
// "Federations and collective consumption"): ids unique across councils
// and federations, known parents and members, a tree (no cycle), each
// council in at most one federation, levies in [0, 1) summing to less than
// 1 along every chain, and weights like a consumer council's. councils
// holds the councils' ids. It returns the goods the federations' weights
// use.
func (w *walker) federations(sc *Scenario, kinds map[string]planning.Kind, commons map[string]float64, councils map[string]bool) []goodUse {
	if len(sc.Federations) > MaxCouncils {
		w.add("federations", "%d federations; a scenario has at most %d", len(sc.Federations), MaxCouncils)
		return nil
	}
	var uses []goodUse
	byID := make(map[string]int, len(sc.Federations))
	for i, f := range sc.Federations {
		p := index("federations", i)
		w.id(join(p, "id"), f.ID)
		switch _, dup := byID[f.ID]; {
		case dup:
			w.add(join(p, "id"), "duplicate federation id %q", short(f.ID))
		case councils[f.ID]:
			w.add(join(p, "id"), "%q is a council's id; ids are unique across councils and federations", short(f.ID))
		default:
			byID[f.ID] = i
		}
		w.name(join(p, "name"), f.Name)
	}
	memberOf := map[string]string{} // council → the path that made it a member
	parents := make([]int, len(sc.Federations))
	for i, f := range sc.Federations {
		p := index("federations", i)
		parents[i] = -1
		if f.Parent != "" {
			if j, ok := byID[f.Parent]; ok {
				parents[i] = j
			} else if councils[f.Parent] {
				w.add(join(p, "parent"), "%q is a council; a federation's parent is a federation", short(f.Parent))
			} else {
				w.add(join(p, "parent"), "unknown federation %q", short(f.Parent))
			}
		}
		for k, m := range f.Members {
			q := index(join(p, "members"), k)
			switch _, fed := byID[m]; {
			case fed:
				w.add(q, "%q is a federation; a sub-federation names its parent instead", short(m))
			case !councils[m]:
				w.add(q, "unknown council %q", short(m))
			case memberOf[m] != "":
				w.add(q, "council %q is already a member at %s; a council belongs to at most one federation directly", short(m), memberOf[m])
			default:
				memberOf[m] = q
			}
		}
		if math.IsNaN(f.Levy) || f.Levy < 0 || f.Levy >= 1 {
			w.add(join(p, "levy"), "the levy is %v; it must be in [0, 1)", f.Levy)
		}
		uses = append(uses, w.federationModel(p, &f, kinds, commons)...)
	}
	// The parents must form a tree, at most MaxFederationDepth deep:
	// report each cycle once, at its first federation. Each federation is
	// walked once (state: 0 not seen, 1 on the path being walked, 2 done),
	// so a long chain costs its length, not its square.
	inCycle := make([]bool, len(parents))
	state := make([]uint8, len(parents))
	depth := make([]int, len(parents)) // federations from it to its root, itself included
	var path []int
	for i := range parents {
		path = path[:0]
		j := i
		for j >= 0 && state[j] == 0 {
			state[j] = 1
			path = append(path, j)
			j = parents[j]
		}
		if j >= 0 && state[j] == 1 {
			// j is on this walk: the path from j on is a cycle.
			at := slices.Index(path, j)
			cyc := path[at:]
			first := slices.Min(cyc)
			k := slices.Index(cyc, first)
			ids := []string{}
			for n := range min(len(cyc), 8) + 1 {
				ids = append(ids, short(sc.Federations[cyc[(k+n)%len(cyc)]].ID))
			}
			if len(cyc) > 8 { // a long cycle: its first steps and its length
				ids = append(ids[:8], fmt.Sprintf("… (%d federations)", len(cyc)))
			}
			for _, c := range cyc {
				inCycle[c] = true
			}
			w.add(join(index("federations", first), "parent"), "the federations' parents form a cycle: %s", strings.Join(ids, " → "))
		}
		// Depths, from the end of the walk back to its start.
		below := 0
		if j >= 0 && !inCycle[j] {
			below = depth[j]
		}
		for n := len(path) - 1; n >= 0; n-- {
			f := path[n]
			state[f] = 2
			if inCycle[f] {
				continue
			}
			below++
			depth[f] = below
			if below == MaxFederationDepth+1 {
				w.add(join(index("federations", f), "parent"), "federation %q is more than %d federations deep", short(sc.Federations[f].ID), MaxFederationDepth)
			}
		}
	}
	if slices.Contains(inCycle, true) || slices.ContainsFunc(depth, func(d int) bool { return d > MaxFederationDepth }) {
		return uses
	}
	// Σ τ < 1 along every chain (within WeightSlack, so that levies whose
	// decimals sum to 1 are refused however they round): report the first
	// federation, going down from the root, at which the levies reach 1.
	sums := make([]float64, len(parents))
	done := make([]bool, len(parents))
	var sum func(i int) float64
	sum = func(i int) float64 {
		if !done[i] {
			done[i] = true // set first: a cycle (reported above) stops here
			s := sc.Federations[i].Levy
			if p := parents[i]; p >= 0 {
				s += sum(p)
			}
			sums[i] = s
		}
		return sums[i]
	}
	for i := range parents {
		if !(sc.Federations[i].Levy >= 0 && sc.Federations[i].Levy < 1) {
			continue
		}
		above := 0.0
		if p := parents[i]; p >= 0 {
			above = sum(p)
		}
		if s := sum(i); s >= 1-WeightSlack && above < 1-WeightSlack {
			var chain []string
			for k := i; k >= 0; k = parents[k] {
				chain = append(chain, short(sc.Federations[k].ID))
			}
			w.add(join(index("federations", i), "levy"), "the levies along %s sum to %.6g; along any chain of federations they must sum to less than 1",
				strings.Join(chain, " → "), s)
		}
	}
	return uses
}

// federationModel checks a federation's collective consumption: its
// weights (as a consumer council's: produced goods and resources, each
// positive, summing to 1; never a commons good), elasticity and
// behaviours. A human federation
// (a levy, no weights) has neither elasticity nor behaviours.
func (w *walker) federationModel(p string, f *FederationSpec, kinds map[string]planning.Kind, commons map[string]float64) []goodUse {
	if f.Adjust != 0 && !(f.Adjust > 0 && f.Adjust <= 1) {
		w.add(join(p, "adjust"), "adjust is %v; it must be in (0, 1]", f.Adjust)
	}
	if f.RoundTo != 0 && (f.RoundTo < 1 || f.RoundTo > MaxRoundTo) {
		w.add(join(p, "round_to"), "round_to is %d; it must be a whole number of significant figures from 1 to %d", f.RoundTo, MaxRoundTo)
	}
	if f.Weights == nil {
		kind := "human federation (a levy, no weights)"
		if f.Levy == 0 {
			kind = "federation without a levy (no collective consumption)"
		}
		w.notFor(p, kind, map[string]bool{"elasticity": f.Elasticity != 0 && f.Elasticity != 1,
			"adjust": f.Adjust != 0, "round_to": f.RoundTo != 0})
		return nil
	}
	uses := w.demandWeights(join(p, "weights"), f.Weights, kinds, commons, federationWeights)
	if f.Elasticity != 0 {
		if !(f.Elasticity > 0) || math.IsInf(f.Elasticity, 0) {
			w.add(join(p, "elasticity"), "the elasticity must be a positive finite number")
		} else {
			w.elasticity(join(p, "elasticity"), f.Elasticity)
		}
	}
	return uses
}
