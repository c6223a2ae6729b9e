package councils

import "strings"

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
