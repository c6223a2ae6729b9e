package learning_test

import (
	"testing"
)

// TestLearningThinMarginsLarge runs the round-to crowd (every council
// rounds to 2 or 3 figures) on a 300-goods economy, where many goods have
// one producer whose emissions cost most of its output's value, and checks
// that it reaches 1.25 times its rounding floor within 8 rounds (7 now;
// 13 before the thin margins' reading, netErr and amp: a producer read
// with b 0.66 for 0.9 swung its good between no supply and many times its
// demand).
func TestLearningThinMarginsLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("a 300-goods plan")
	}
	e := crowdEconomy(t, 300, 900, 1, false, crowdNamed(t, "round-to"))
	floor := floorOf(t, e)
	o := runCrowd(t, e, "learning", coldPrices(e), 20, floor)
	t.Logf("floor %.3g: %d rounds to 1.25 × floor, last gap %.3g", floor, o.rFloor, o.last)
	if o.rFloor < 0 || o.rFloor > 8 {
		t.Errorf("%d rounds to 1.25 × the floor %.3g (never: −1), want at most 8", o.rFloor, floor)
	}
}
