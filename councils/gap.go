package councils

import "parecon/planning"

// SignedGap returns good j's gap in the closed round r, negative where
// supply exceeds demand: the board's gap (planning.Round.Gap, free goods
// at 0) with the sign of the excess demand.
func SignedGap(r *planning.Round, j int) float64 {
	if r.Demand[j] < r.Supply[j] {
		return -r.Gap[j]
	}
	return r.Gap[j]
}
