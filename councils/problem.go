package councils

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with outside input, named by its JSON path
// (for example councils[3].inputs.land).
type Problem struct {
	Path    string
	Message string
}

// Error returns "path: message".
func (p Problem) Error() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Problems is every problem found in one input; it is an error.
type Problems []Problem

// Error returns the problems, one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Dedupe returns ps with one problem per field: the first problem of each
// path, and none whose path lies inside a path already reported (a field
// that did not decode is not reported again by the checks of its parts).
// The order is kept.
func (ps Problems) Dedupe() Problems {
	var out Problems
	seen := map[string]bool{}
	for _, p := range ps {
		if !reported(seen, p.Path) {
			out = append(out, p)
			seen[p.Path] = true
		}
	}
	return out
}

// reported reports whether path, or a path it lies inside, is in seen.
func reported(seen map[string]bool, path string) bool {
	if seen[""] || seen[path] {
		return true
	}
	for i := 0; i < len(path); i++ {
		if (path[i] == '.' || path[i] == '[') && seen[path[:i]] {
			return true
		}
	}
	return false
}

// ToleranceProblem says why tol is not a plan's tolerance: a fraction
// strictly between 0 and 1 (0.01 means every gap within 1%).
func ToleranceProblem(tol float64) string {
	return fmt.Sprintf("the tolerance is a fraction between 0 and 1 (0.01 means every gap within 1%%), not %v", tol)
}

// inside reports whether path is outer or lies inside it.
func inside(path, outer string) bool {
	return reported(map[string]bool{outer: true}, path)
}
