package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// TestVerify: a council's proofs and the chain verify against a live
// server; then a stored proposal, a stored leaf and a stored root are
// each rewritten behind the server's back, and verify exits 1 naming the
// mismatch every time. (The leaf rewritten is round 0's: the last closed
// round's proofs are served from the memory of its close.)
func TestVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	s := startServer(t, db)
	var p created
	if st := httpJSON(t, "POST", s.base+"/api/plans", "", crowdScenario(3), &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	conn, err := dialWS(s.base, p.ID, p.CouncilTokens["h00"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := conn.WriteJSON(map[string]any{"type": "proposal.submit", "ref": "a", "round": 0, "proposal": map[string]any{"requests": map[string]float64{"bread": 1.5}}}); err != nil {
		t.Fatal(err)
	}
	for {
		var f map[string]any
		if err := conn.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		if f["type"] == "proposal.accepted" {
			break
		}
		if f["type"] == "proposal.rejected" || f["type"] == "error" {
			t.Fatalf("%v", f)
		}
	}
	for round := 0; round < 2; round++ {
		if st := httpJSON(t, "POST", s.base+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, []byte(fmt.Sprintf(`{"round":%d}`, round)), nil); st != http.StatusOK {
			t.Fatalf("close %d: %d", round, st)
		}
	}
	// Only a council reads a proof, its own; one with no proposal gets 404.
	for _, tt := range []struct {
		token string
		want  int
	}{{p.CouncilTokens["h00"], 200}, {p.CouncilTokens["h01"], 404}, {p.ObserverToken, 403}, {p.FacilitatorToken, 403}} {
		var out json.RawMessage
		if st := httpJSON(t, "GET", s.base+"/api/plans/"+p.ID+"/rounds/1/proof?council=h01", tt.token, nil, &out); st != tt.want {
			t.Errorf("proof: %d, want %d (%s)", st, tt.want, out)
		}
	}
	verify := func(token string) (int, string, string) {
		var out, errs bytes.Buffer
		code := run(context.Background(), []string{"verify", "--server", s.base, "--plan", p.ID, "--token", token}, &out, &errs)
		return code, out.String(), errs.String()
	}
	if code, out, errs := verify(p.CouncilTokens["h00"]); code != 0 || !strings.Contains(out, "round 1: the council's proposal is in round 1's root") || !strings.Contains(out, "chain of 2 roots") {
		t.Fatalf("verify: %d\n%s%s", code, out, errs)
	}
	if code, out, errs := verify(p.CouncilTokens["h01"]); code != 0 || !strings.Contains(out, "no proposal of the council's") {
		t.Fatalf("verify a council with no proposal: %d\n%s%s", code, out, errs)
	}
	sqldb, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	for _, tt := range []struct {
		name, tamper, undo, want string
	}{
		{"a stored proposal", `UPDATE proposals SET body = '{"requests":{"bread":9}}' WHERE council_id = 'h00'`,
			`UPDATE proposals SET body = '{"requests":{"bread":1.5}}' WHERE council_id = 'h00'`, "the root counts"},
		{"a stored leaf", `UPDATE round_leaves SET data = CAST(replace(CAST(data AS TEXT), '1.5', '2.5') AS BLOB) WHERE council_id = 'h00' AND number = 0`,
			`UPDATE round_leaves SET data = CAST(replace(CAST(data AS TEXT), '2.5', '1.5') AS BLOB) WHERE council_id = 'h00' AND number = 0`, "not in the published root"},
		{"a stored root", `UPDATE round_commits SET root = zeroblob(32) WHERE number = 0`, "", "the chain of roots"},
	} {
		if _, err := sqldb.Exec(tt.tamper); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		code, out, errs := verify(p.CouncilTokens["h00"])
		if code != 1 || !strings.Contains(errs, "MISMATCH") || !strings.Contains(errs, tt.want) {
			t.Errorf("%s rewritten: verify %d, want 1 and %q\n%s%s", tt.name, code, tt.want, out, errs)
		}
		if tt.undo != "" {
			if _, err := sqldb.Exec(tt.undo); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := verify(p.CouncilTokens["h00"]); code != 0 {
				t.Fatalf("%s put back: verify %d\n%s%s", tt.name, code, out, errs)
			}
		}
	}
}
