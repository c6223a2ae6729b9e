package rules

import "testing"

func TestNew(t *testing.T) {
	for _, name := range Names() {
		r, err := New(name, 0)
		if err != nil || r.Name() != name {
			t.Errorf("New(%q) = %v, %v", name, r, err)
		}
	}
	if _, err := New("magic", 0); err == nil {
		t.Error("unknown rule accepted")
	}
	if r, _ := New("", 0); r.Name() != Default {
		t.Errorf("default rule %s", r.Name())
	}
	if got := Names(); len(got) != 3 || got[0] != "learning" || got[1] != "pequod" || got[2] != "tatonnement" {
		t.Errorf("Names() = %v", got)
	}
}
