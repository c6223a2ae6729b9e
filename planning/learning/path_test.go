package learning_test

import (
	"testing"

	"parecon/councils"
)

// TestLearningSolvePath checks the step towards where a failed solve stopped
// on its homotopy (pathTrust in damped.go): fixed-proportions workers at 15
// goods × 60 councils, seed 12, CES consumers, whose learned economy's
// homotopy folds at τ 0.9 for rounds on end while a good of fixed supply
// is priced several times too low, reach 3% within 12 rounds (11; 18 when
// those rounds were tâtonnement steps).
func TestLearningSolvePath(t *testing.T) {
	e := unseenEconomy(t, 15, 60, 12, true, "fixed-proportions")
	res, err := councils.Run(e, councils.RunOptions{Rule: "learning", Tolerance: 1e-9, MaxRounds: 40, Prices: coldPrices(e)})
	if err != nil {
		t.Fatal(err)
	}
	if got := roundsTo(res.Board.Rounds(), 0.03); got < 0 || got > 12 {
		t.Errorf("%d rounds to 3%%, want at most 12", got)
	}
}
