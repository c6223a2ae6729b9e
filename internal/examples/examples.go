// Package examples ships the bundled example scenarios, embedded, with the
// equilibrium prices an independent solver computed for each.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed scenarios/*.json
var files embed.FS

// Names returns the names of the bundled scenarios, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, "scenarios")
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".expected.json") {
			names = append(names, strings.TrimSuffix(n, ".json"))
		}
	}
	sort.Strings(names)
	return names
}

// Scenario returns the bytes of the bundled scenario name.
func Scenario(name string) ([]byte, error) {
	b, err := files.ReadFile("scenarios/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("no bundled example %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Expected returns the bytes of name's expected equilibrium prices.
func Expected(name string) ([]byte, error) {
	return files.ReadFile("scenarios/" + name + ".expected.json")
}
