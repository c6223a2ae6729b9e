package learning_test

import (
	"testing"

	"parecon/councils"
	"parecon/planning"
)

// TestLearningSlackAllowance runs the default rule on generated economies
// whose pollution allowance is 2, 3 and 10 times what the generator gives
// (which makes it bind): the pollutant is then cheap, or free where the
// plan would not emit the allowance however cheap it got. Every plan must
// converge within 1e-8 in at most 20 rounds (before freePollutants, in
// solve.go, most of them never did in 40: Newton lowered the pollutant's
// price a log unit at a time while its equation barely answered; now
// they take 3–14). Where
// the allowance is 10 times, the test checks the corner against the
// round's own totals: the pollutant's price below FreePrice of the
// numéraire's, and its allowance more than what is emitted.
func TestLearningSlackAllowance(t *testing.T) {
	for _, goods := range []int{15, 40} {
		for _, mult := range []float64{2, 3, 10} {
			for seed := uint64(1); seed <= 3; seed++ {
				for _, ces := range []bool{false, true} {
					sc, err := councils.Generate(councils.GenOptions{Goods: goods, Councils: 4 * goods, Seed: seed, CES: ces})
					if err != nil {
						t.Fatal(err)
					}
					pol := -1
					for i := range sc.Goods {
						if sc.Goods[i].Kind == "pollutant" {
							sc.Goods[i].Endowment *= mult
							pol = i
						}
					}
					if pol < 0 {
						t.Fatal("the generated economy has no pollutant")
					}
					e, err := councils.NewEconomy(sc)
					if err != nil {
						t.Fatal(err)
					}
					res, err := councils.Run(e, councils.RunOptions{Tolerance: 1e-8, MaxRounds: 40})
					if err != nil {
						t.Fatal(err)
					}
					if !res.Converged || res.Rounds > 20 {
						t.Errorf("%d goods, allowance ×%v, seed %d, CES %v: converged %v in %d rounds (gap %.3g), want within 1e-8 in 20",
							goods, mult, seed, ces, res.Converged, res.Rounds, res.Last().MaxGap)
						continue
					}
					if mult < 10 {
						continue
					}
					last := res.Last()
					if p, num := last.Prices[pol], last.Prices[e.Plan.Numeraire]; p > planning.FreePrice*num || last.Supply[pol] <= last.Demand[pol] {
						t.Errorf("%d goods, allowance ×10, seed %d, CES %v: the pollutant at %.3g (numéraire %.3g), allowance %.4g, emitted %.4g; want it free",
							goods, seed, ces, p, num, last.Supply[pol], last.Demand[pol])
					}
				}
			}
		}
	}
}
