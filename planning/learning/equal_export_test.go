package learning

import (
	"flag"
	"fmt"
)

// Test flags to measure the rule with its spreading of the budgets'
// mismatch (equal.go) restricted as it was before.
func init() {
	flag.Func("people-equal", "goods (less the numéraire) beyond which Rule.ahead spreads the budgets' mismatch by equalGaps instead of the dense least squares (default lsValueMax; a larger value restores the aim of before beyond lsValueMax)", func(v string) error {
		_, err := fmt.Sscan(v, &equalFrom)
		return err
	})
	flag.Func("people-scaled", "largest catalogue (goods less the numéraire) for which scaled consumers' steps are read against their fitted answers (default: any)", func(v string) error {
		_, err := fmt.Sscan(v, &scaledMax)
		return err
	})
}
