package planning

// Line is one good's quantity in a proposal.
type Line struct {
	Good int
	Qty  float64
}

// Proposal is what one council proposes in a round. A worker council's
// outputs are in Out and its inputs and emissions in In; a consumer council's
// requests are in In. Lines name each good at most once.
type Proposal struct {
	Out []Line
	In  []Line
	// Vote is a consumer council's vote for the commons fund, nil if it
	// abstains; Uses is how many of its members use each commons good
	// (recorded, never priced, checked or limited).
	Vote *Vote
	Uses []Line
}

// Value returns the value of lines at prices p.
func Value(lines []Line, p []float64) float64 {
	v := 0.0
	for _, l := range lines {
		v += p[l.Good] * l.Qty
	}
	return v
}

// Surplus returns SB − SC of a proposal at prices p: the value of its outputs
// less the value of its inputs and emissions.
func (pr *Proposal) Surplus(p []float64) float64 {
	return Value(pr.Out, p) - Value(pr.In, p)
}

// IsZero reports whether the proposal asks for and offers nothing.
func (pr *Proposal) IsZero() bool {
	for _, l := range pr.Out {
		if l.Qty != 0 {
			return false
		}
	}
	for _, l := range pr.In {
		if l.Qty != 0 {
			return false
		}
	}
	return true
}

// Qty returns the quantity of good g in lines (0 if absent).
func Qty(lines []Line, g int) float64 {
	for _, l := range lines {
		if l.Good == g {
			return l.Qty
		}
	}
	return 0
}
