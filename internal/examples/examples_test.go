package examples

import (
	"strings"
	"testing"
)

// TestDescriptions checks every bundled example has a one-line
// description and no description names an example that is not bundled.
func TestDescriptions(t *testing.T) {
	names := map[string]bool{}
	for _, n := range Names() {
		names[n] = true
		d := Description(n)
		if d == "" || strings.Contains(d, "\n") || len(d) > 200 {
			t.Errorf("%s: description %q (want one line, at most 200 bytes)", n, d)
		}
	}
	for n := range descriptions {
		if !names[n] {
			t.Errorf("description of %q, which is not bundled", n)
		}
	}
}
