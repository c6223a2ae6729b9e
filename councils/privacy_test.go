package councils

import "testing"

func TestPrivacyDefaults(t *testing.T) {
	tests := []struct {
		name, facilitation string
		want               Privacy
	}{
		{"none", ``, Privacy{K: 3, Facilitator: "all"}},
		{"empty", `,"facilitation":{"privacy":{}}`, Privacy{K: 3, Facilitator: "all"}},
		{"k only", `,"facilitation":{"privacy":{"k":5}}`, Privacy{K: 5, Facilitator: "all"}},
		{"both", `,"facilitation":{"privacy":{"k":1,"facilitator":"aggregates"}}`, Privacy{K: 1, Facilitator: "aggregates"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := ParseScenario([]byte(`{"goods":[{"id":"labor","kind":"labor"},{"id":"bread","kind":"produced"}],` +
				`"councils":[{"id":"b","type":"worker","output":"bread","scale":1,"inputs":{"labor":0.5}},{"id":"c","type":"consumer","members":1,"hours":1,"weights":{"bread":1}}]` + tt.facilitation + `}`))
			if err != nil {
				t.Fatal(err)
			}
			e, err := NewEconomy(sc)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.Privacy(); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPrivacyCheck(t *testing.T) {
	tests := []struct {
		p     Privacy
		field string // "" = valid
	}{
		{Privacy{K: 3, Facilitator: "all"}, ""},
		{Privacy{K: 1, Facilitator: "aggregates"}, ""},
		{Privacy{K: 0, Facilitator: "all"}, "privacy.k"},
		{Privacy{K: -2, Facilitator: "all"}, "privacy.k"},
		{Privacy{K: 3, Facilitator: "none"}, "privacy.facilitator"},
	}
	for _, tt := range tests {
		err := tt.p.Check("privacy")
		if got := AsError(err); (err == nil) != (tt.field == "") || err != nil && got.Field != tt.field {
			t.Errorf("%+v: got %v, want field %q", tt.p, err, tt.field)
		}
	}
}
