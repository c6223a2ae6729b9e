// Package rules names the price rules a plan may use: the baselines of
// docs/spec/economy.md (tatonnement, pequod, in package planning) and the
// default, learning (package planning/learning). It is the one registry
// scenarios, the command line and the server read.
package rules

import (
	"fmt"
	"sort"

	"parecon/planning"
	"parecon/planning/learning"
)

// Default is the name of the rule used when a plan names none.
const Default = "learning"

var registry = map[string]struct {
	step float64
	make func(step float64) planning.Rule
}{
	"tatonnement": {1, func(s float64) planning.Rule { return &planning.Tatonnement{Step: s} }},
	"pequod":      {0.05, func(s float64) planning.Rule { return &planning.Pequod{Step: s} }},
	"learning":    {1, func(float64) planning.Rule { return learning.New() }},
}

// Names returns the names of the rules, sorted.
func Names() []string {
	var names []string
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns a fresh rule by name; a step of 0 takes the rule's default.
// The empty name is Default.
func New(name string, step float64) (planning.Rule, error) {
	if name == "" {
		name = Default
	}
	r, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown rule %q (want one of %v)", name, Names())
	}
	if step == 0 {
		step = r.step
	}
	return r.make(step), nil
}
