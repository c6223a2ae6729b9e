package councils

import (
	"encoding/json"
	"math"
	"sort"

	"parecon/planning"
)

// ProposalDoc is a proposal as the live protocol writes it: a worker
// council's {"outputs", "inputs", "emissions"}, a consumer council's
// {"requests"}, each an object of quantities keyed by good id.
type ProposalDoc struct {
	Outputs   map[string]float64 `json:"outputs,omitempty"`
	Inputs    map[string]float64 `json:"inputs,omitempty"`
	Emissions map[string]float64 `json:"emissions,omitempty"`
	Requests  map[string]float64 `json:"requests,omitempty"`
	// A consumer council's vote for the commons fund and how many of its
	// members use each commons good (docs/spec/economy.md, "Commons
	// goods"); absent: it abstains, and declares no uses.
	Commons *CommonsVote       `json:"commons,omitempty"`
	Uses    map[string]float64 `json:"uses,omitempty"`
}

// CommonsVote is a consumer council's vote for the commons fund: the
// share of the plan's income (0 ≤ share < 1) and its split over commons
// goods (summing to 1; absent: equal weights).
type CommonsVote struct {
	Share   float64            `json:"share"`
	Weights map[string]float64 `json:"weights,omitempty"`
}

// Verdict is what the board tells a council about its proposal at the
// round's prices: a worker council's SB/SC (nil when it costs nothing), a
// consumer council's cost and budget.
type Verdict struct {
	SBSC   *float64 `json:"sbsc,omitempty"`
	Cost   *float64 `json:"cost,omitempty"`
	Budget *float64 `json:"budget,omitempty"`
}

// ParseProposal decodes council c's proposal from raw JSON and checks it
// as the spec says: known goods; a worker council's outputs are produced
// goods, its emissions pollutants, its inputs goods that are not
// pollutants; a consumer council requests produced goods and resources
// only; then the board's checks at prices and budget (finite quantities
// ≥ 0, SB/SC ≥ 1, cost within budget). A failing proposal returns an
// invalid Error whose Field is a path inside the proposal
// (requests.bread, outputs.bread, inputs.labor, emissions.co2) or
// "proposal" for the whole.
func (e *Economy) ParseProposal(c int, raw []byte, prices []float64, budget float64) (*planning.Proposal, *ProposalDoc, Verdict, error) {
	tree, perr := parseJSON(raw)
	if perr != nil {
		return nil, nil, Verdict{}, Errorf(Invalid, "proposal", "%s", perr.Message)
	}
	role := e.Plan.Councils[c].Role
	w := &walker{}
	var doc ProposalDoc
	if role == planning.Worker {
		m := w.object("", tree, "outputs", "inputs", "emissions")
		if m != nil {
			if v, ok := m["outputs"]; ok {
				doc.Outputs = w.numbers("outputs", v)
			}
			if v, ok := m["inputs"]; ok {
				doc.Inputs = w.numbers("inputs", v)
			}
			if v, ok := m["emissions"]; ok {
				doc.Emissions = w.numbers("emissions", v)
			}
		}
	} else {
		m := w.object("", tree, "requests", "commons", "uses")
		if m != nil {
			if v, ok := m["requests"]; ok {
				doc.Requests = w.numbers("requests", v)
			}
			w.proposalCommons(m, &doc)
		}
	}
	if len(w.probs) > 0 {
		p := w.probs[0]
		field := p.Path
		if field == "" {
			field = "proposal"
		}
		return nil, nil, Verdict{}, Errorf(Invalid, field, "%s", p.Message)
	}
	pr, err := e.ProposalFromDoc(c, &doc)
	if err != nil {
		return nil, nil, Verdict{}, err
	}
	if v := planning.Check(e.Plan, c, pr, prices, budget); v != nil {
		return nil, nil, Verdict{}, Errorf(Invalid, e.violationField(c, pr, v), "%s", v.Reason)
	}
	return pr, &doc, e.Verdict(c, pr, prices, budget), nil
}

// ProposalFromDoc turns doc into council c's proposal, checking that every
// good is known and of a kind the council may name there.
func (e *Economy) ProposalFromDoc(c int, doc *ProposalDoc) (*planning.Proposal, error) {
	role := e.Plan.Councils[c].Role
	pr := &planning.Proposal{}
	type part struct {
		name  string
		m     map[string]float64
		out   bool
		allow func(planning.Kind) bool
		want  string
	}
	var parts []part
	if role == planning.Worker {
		if doc.Requests != nil {
			return nil, Errorf(Invalid, "requests", "a worker council proposes outputs, inputs and emissions, not requests")
		}
		parts = []part{
			{"outputs", doc.Outputs, true, func(k planning.Kind) bool { return k == planning.Produced }, "a produced good"},
			{"inputs", doc.Inputs, false, func(k planning.Kind) bool { return k != planning.Pollutant }, "a good that is not a pollutant (emit pollutants under emissions)"},
			{"emissions", doc.Emissions, false, func(k planning.Kind) bool { return k == planning.Pollutant }, "a pollutant"},
		}
	} else {
		for _, f := range []struct {
			n string
			m map[string]float64
		}{{"outputs", doc.Outputs}, {"inputs", doc.Inputs}, {"emissions", doc.Emissions}} {
			if f.m != nil {
				return nil, Errorf(Invalid, f.n, "a consumer council proposes requests only")
			}
		}
		parts = []part{{"requests", doc.Requests, false, func(k planning.Kind) bool { return k == planning.Produced || k == planning.Resource }, "a produced good or a resource"}}
		if err := e.voteFromDoc(doc, pr); err != nil {
			return nil, err
		}
	}
	// Each part's lines in catalogue order, a worker council's inputs
	// before its emissions: the order the models propose in, so a human
	// council that submits what a model would gives the board the very
	// same proposal, and the same sums.
	for _, p := range parts {
		from := len(pr.In)
		for _, id := range sortedGoods(p.m) {
			x := p.m[id]
			field := p.name + "." + id
			g, ok := e.goods[id]
			if !ok {
				return nil, Errorf(Invalid, field, "unknown good %q", short(id))
			}
			if !p.allow(e.Plan.Goods[g].Kind) {
				return nil, Errorf(Invalid, field, "%q is a %s good; %s may only name %s", short(id), e.Plan.Goods[g].Kind, p.name, p.want)
			}
			if err := e.commonsLine(p.name, field, g); err != nil {
				return nil, err
			}
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, Errorf(Invalid, field, "quantity is not a finite number")
			}
			if x < 0 {
				return nil, Errorf(Invalid, field, "quantity is negative")
			}
			if x > MaxQuantity {
				return nil, Errorf(Invalid, field, "quantity %v is above %g, the largest quantity", x, float64(MaxQuantity))
			}
			l := planning.Line{Good: g, Qty: x}
			if p.out {
				pr.Out = append(pr.Out, l)
			} else {
				pr.In = append(pr.In, l)
			}
		}
		part := pr.In[from:]
		if p.out {
			part = pr.Out
		}
		sort.Slice(part, func(a, b int) bool { return part[a].Good < part[b].Good })
	}
	return pr, nil
}

// violationField names the part of council c's proposal a violation is in.
func (e *Economy) violationField(c int, pr *planning.Proposal, v *planning.Violation) string {
	if v.Good < 0 || v.Good >= len(e.Plan.Goods) {
		if v.Side == planning.SideIn && e.Plan.Councils[c].Role == planning.Consumer {
			return "requests"
		}
		return "proposal"
	}
	id := e.Plan.Goods[v.Good].ID
	switch {
	case v.Side == planning.SideOut:
		return "outputs." + id
	case e.Plan.Councils[c].Role == planning.Consumer:
		return "requests." + id
	case e.Plan.Goods[v.Good].Kind == planning.Pollutant:
		return "emissions." + id
	default:
		return "inputs." + id
	}
}

// Doc writes council c's proposal in the protocol's form.
func (e *Economy) Doc(c int, pr *planning.Proposal) *ProposalDoc {
	doc := &ProposalDoc{}
	put := func(m *map[string]float64, l planning.Line) {
		if *m == nil {
			*m = map[string]float64{}
		}
		(*m)[e.Plan.Goods[l.Good].ID] = l.Qty
	}
	if e.Plan.Councils[c].Role == planning.Consumer {
		for _, l := range pr.In {
			put(&doc.Requests, l)
		}
		if doc.Requests == nil {
			doc.Requests = map[string]float64{}
		}
		e.voteDoc(pr, doc)
		return doc
	}
	for _, l := range pr.Out {
		put(&doc.Outputs, l)
	}
	for _, l := range pr.In {
		if e.Plan.Goods[l.Good].Kind == planning.Pollutant {
			put(&doc.Emissions, l)
		} else {
			put(&doc.Inputs, l)
		}
	}
	return doc
}

// Verdict returns what the board tells council c about pr at prices and
// budget.
func (e *Economy) Verdict(c int, pr *planning.Proposal, prices []float64, budget float64) Verdict {
	sb, sc := planning.Value(pr.Out, prices), planning.Value(pr.In, prices)
	if e.Plan.Councils[c].Role == planning.Worker {
		if sc > 0 {
			r := sb / sc
			return Verdict{SBSC: &r}
		}
		return Verdict{}
	}
	b := budget
	return Verdict{Cost: &sc, Budget: &b}
}

// MarshalDoc is json.Marshal of a ProposalDoc, which cannot fail.
func MarshalDoc(d *ProposalDoc) json.RawMessage {
	b, _ := json.Marshal(d)
	return b
}
