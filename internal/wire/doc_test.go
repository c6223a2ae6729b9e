package wire

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// docEntry is one "- `name`: `{fields}`" line of docs/protocol.md.
var docEntry = regexp.MustCompile("^\\s*- (?:\\*\\*\\(ext\\)\\*\\* )?`([A-Za-z][A-Za-z.]*)`(?: \\([^)]*\\))?: `\\{([^}`]*)\\}`")

// docShapes parses docs/protocol.md: name → documented fields (the "?"
// of optional ones dropped).
func docShapes(t *testing.T) map[string][]string {
	b, err := os.ReadFile("../../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		m := docEntry.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, dup := out[m[1]]; dup {
			t.Errorf("docs/protocol.md documents %s twice", m[1])
		}
		fields := []string{}
		for _, f := range strings.Split(m[2], ",") {
			if f = strings.TrimSuffix(strings.TrimSpace(f), "?"); f != "" {
				fields = append(fields, f)
			}
		}
		sort.Strings(fields)
		out[m[1]] = fields
	}
	return out
}

// jsonFields returns the JSON names of t's fields, and the struct types
// (named, not time.Time) its fields hold.
func jsonFields(t reflect.Type) ([]string, []reflect.Type) {
	var names []string
	var nested []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Time{}) {
			nested = append(nested, ft)
		}
	}
	sort.Strings(names)
	return names, nested
}

// TestDocMatchesSchema: every frame and body of this package is in
// docs/protocol.md with exactly its fields, every struct they hold is
// documented too (by its Go name), and the page documents nothing that is
// not here.
func TestDocMatchesSchema(t *testing.T) {
	doc := docShapes(t)
	want := map[string]reflect.Type{}
	for _, f := range ServerFrames {
		want[f.FrameType()] = reflect.TypeOf(f)
	}
	for _, f := range ClientFrames {
		want[f.FrameType()] = reflect.TypeOf(f)
	}
	for name, v := range Bodies {
		if reflect.TypeOf(v).Name() != name {
			t.Errorf("Bodies[%q] is a %T", name, v)
		}
		want[name] = reflect.TypeOf(v)
	}
	// Structs inside frames and bodies are documented by their Go name.
	queue := make([]reflect.Type, 0, len(want))
	for _, typ := range want {
		queue = append(queue, typ)
	}
	for len(queue) > 0 {
		typ := queue[0]
		queue = queue[1:]
		_, nested := jsonFields(typ)
		for _, n := range nested {
			if _, ok := want[n.Name()]; !ok {
				want[n.Name()] = n
				queue = append(queue, n)
			}
		}
	}
	for name, typ := range want {
		fields, _ := jsonFields(typ)
		got, ok := doc[name]
		if !ok {
			t.Errorf("docs/protocol.md does not document %s (%s): want a line \"- `%s`: `{%s}`\"", name, typ.Name(), name, strings.Join(fields, ", "))
			continue
		}
		for _, f := range fields {
			if !slices.Contains(got, f) {
				t.Errorf("%s: field %q is sent but not documented", name, f)
			}
		}
		for _, f := range got {
			if !slices.Contains(fields, f) {
				t.Errorf("%s: field %q is documented but %s has no such field", name, f, typ.Name())
			}
		}
	}
	for name := range doc {
		if _, ok := want[name]; !ok {
			t.Errorf("docs/protocol.md documents %s, which is no frame or body of package wire", name)
		}
	}
}
