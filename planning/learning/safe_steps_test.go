package learning_test

import (
	"fmt"
	"testing"
)

// TestLearningSafeSteps checks, on fixed-proportions workers at 15 goods ×
// 60 councils (cold), three things the rule does where its learned economy
// cannot be solved or its steps are held short, each on an economy where
// the rule without it takes more rounds to 3% than asked here:
//   - the step towards where a failed solve stopped on its homotopy
//     (pathTrust, damped.go): seed 12, CES consumers, whose homotopy folds
//     at τ 0.9 for rounds on end while a good of fixed supply is priced
//     several times too low (18 rounds by tâtonnement steps);
//   - the whole safe step kept as the trust region while a demanded good
//     is supplied by nobody (judge): seed 10, Cobb–Douglas consumers (13
//     rounds when the region halved);
//   - the region opened after a short step predicted to trueMiss (judge):
//     seed 23, Cobb–Douglas consumers (14 rounds when it doubled).
func TestLearningSafeSteps(t *testing.T) {
	for _, tc := range []struct {
		what   string
		seed   uint64
		ces    bool
		rounds int
	}{
		{"homotopy step", 12, true, 12},
		{"whole step while unsupplied", 10, false, 11},
		{"region opened on a true prediction", 23, false, 11},
	} {
		t.Run(fmt.Sprintf("%s/seed%d-ces%v", tc.what, tc.seed, tc.ces), func(t *testing.T) {
			e := unseenEconomy(t, 15, 60, tc.seed, tc.ces, "fixed-proportions")
			if got := runCrowd(t, e, "learning", coldPrices(e), 40, 0).r3; got < 0 || got > tc.rounds {
				t.Errorf("%d rounds to 3%%, want at most %d", got, tc.rounds)
			}
		})
	}
}
