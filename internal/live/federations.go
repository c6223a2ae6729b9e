package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"

	"parecon/councils"
	"parecon/internal/wire"
)

// Federations returns GET /api/plans/{id}/federations: the tree, each
// federation's roll-up for closed round (−1: the last one). The
// facilitator sees every number; an observer or a council sees them under
// the privacy rules (folded, withheld); a federation token sees the same
// as an observer, for its own subtree only.
func (s *Service) Federations(ctx context.Context, who Principal, id string, round int) (wire.Federations, error) {
	p, err := s.lookup(who, id, OpFederations)
	if err != nil {
		return wire.Federations{}, err
	}
	var out wire.Federations
	var ferr error
	err = p.call(ctx, func() { out, ferr = p.federations(who, round) })
	if err != nil {
		return wire.Federations{}, err
	}
	return out, ferr
}

// federations builds the roll-ups (plan goroutine).
func (p *plan) federations(who Principal, round int) (wire.Federations, error) {
	e := p.econ
	out := wire.Federations{Federations: []wire.FederationView{}}
	if round >= len(p.closed) {
		return out, councils.Errorf(councils.NotFound, "round", "round %d has not closed (%d rounds have)", round, len(p.closed))
	}
	if round < 0 {
		round = len(p.closed) - 1
	}
	// The smallest crowd a roll-up shows anything about: the plan's k
	// (facilitation.privacy), for everyone but a facilitator who sees all.
	k := p.priv.set.K
	if who.Role == RoleFacilitator && p.priv.facilitatorSeesAll() {
		k = 1
	}
	out.K = k
	var rus []councils.RollUp
	if round >= 0 {
		out.Round = &round
		rus = e.RollUps(p.closed[round], k)
		if k > 1 && round < len(p.fedHeld) && p.fedHeld[round] != nil {
			for i := range rus {
				withholdChanged(&rus[i], p.fedHeld[round][i])
			}
		}
	}
	// A federation token sees its own subtree only.
	in := func(int) bool { return true }
	if who.Role == RoleFederation {
		c, ok := p.proposer(who)
		f, fed := e.FederationOf(c)
		if !ok || !fed {
			return out, councils.Errorf(councils.Forbidden, "", "federation %q is not in this plan", who.Council)
		}
		in = func(i int) bool {
			for ; i >= 0; i = e.Federations[i].Parent {
				if i == f {
					return true
				}
			}
			return false
		}
	}
	for i, f := range e.Federations {
		if !in(i) {
			continue
		}
		v := wire.FederationView{ID: f.ID, Name: f.Name, Members: make([]string, 0, len(f.Members))}
		if f.Parent >= 0 {
			v.Parent = e.Federations[f.Parent].ID
		}
		for _, c := range f.Members {
			v.Members = append(v.Members, e.Plan.Councils[c].ID)
		}
		if rus == nil {
			out.Federations = append(out.Federations, v)
			continue
		}
		ru := rus[i]
		if ru.Folded {
			v.Folded = true
			out.Federations = append(out.Federations, v)
			continue
		}
		v.Levy, v.Human = f.Levy, f.Proposer >= 0 && p.human[f.Proposer]
		v.Councils, v.Submitted, v.SubmittedMembers = &ru.Councils, ru.Submitted, ru.SubmittedMembers
		v.Budget = ru.Budget
		v.Supply, v.Demand = withNulls(ru.Supply, ru.Withheld, ".supply"), withNulls(ru.Demand, ru.Withheld, ".demand")
		v.Collective, v.Gaps, v.Withheld = ru.Collective, ru.Gaps, ru.Withheld
		out.Federations = append(out.Federations, v)
	}
	return out, nil
}

// withNulls returns m as a map of pointers, with a nil (JSON null) for
// each good whose side (suffix) is withheld.
func withNulls(m map[string]float64, withheld []string, suffix string) map[string]*float64 {
	out := make(map[string]*float64, len(m))
	for g, x := range m {
		out[g] = &x
	}
	for _, w := range withheld {
		if len(w) > len(suffix) && w[len(w)-len(suffix):] == suffix {
			out[w[:len(w)-len(suffix)]] = nil
		}
	}
	return out
}

// FederationsCSV returns the roll-ups of closed round (−1: the last) as
// CSV (wire.FederationsCSVHeader), under the same rules as Federations.
func (s *Service) FederationsCSV(ctx context.Context, who Principal, id string, round int) ([]byte, error) {
	v, err := s.Federations(ctx, who, id, round)
	if err != nil {
		return nil, err
	}
	var goods []string
	p, _ := s.plan(id)
	if err := p.call(ctx, func() {
		for _, g := range p.econ.Plan.Goods {
			goods = append(goods, g.ID)
		}
	}); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(wire.FederationsCSVHeader)
	if v.Round == nil {
		w.Flush()
		return b.Bytes(), nil
	}
	n := strconv.Itoa(*v.Round)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	side := func(m map[string]*float64, g string) string {
		if x := m[g]; x != nil {
			return f(*x)
		}
		return ""
	}
	for _, fv := range v.Federations {
		if fv.Folded {
			w.Write([]string{n, fv.ID, fv.Parent, "true", "", "", "", "", ""})
			continue
		}
		for _, g := range goods {
			_, s := fv.Supply[g]
			_, d := fv.Demand[g]
			c, coll := fv.Collective[g]
			if !s && !d && !coll {
				continue
			}
			gap := ""
			if x, ok := fv.Gaps[g]; ok {
				gap = f(x)
			}
			cs := ""
			if coll {
				cs = f(c)
			} else {
				cs = "0"
			}
			w.Write([]string{n, fv.ID, fv.Parent, "false", g, side(fv.Supply, g), side(fv.Demand, g), cs, gap})
		}
	}
	w.Flush()
	return b.Bytes(), nil
}
