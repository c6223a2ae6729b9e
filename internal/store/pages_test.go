package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parecon/internal/store/storetest"
)

// TestPagesUseIndexes: each paginated query is answered through an index
// (SQLite's plan names it), not by scanning the table, and without sorting
// rows; a council's page sorts only the ids of its own index entries.
func TestPagesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		query, want string
		sortsIDs    bool
	}{
		{`SELECT id FROM proposals WHERE plan_id = 'p' AND (round, id) > (2, 5) ORDER BY round, id LIMIT 10`, "proposals_plan_round", false},
		{`SELECT id FROM proposals WHERE plan_id = 'p' AND id > 5 AND round = 2 ORDER BY round, id LIMIT 10`, "proposals_plan_round", false},
		{`SELECT id FROM proposals WHERE id IN (SELECT id FROM proposals WHERE plan_id = 'p' AND id > 5 AND council_id = 'c' ORDER BY id LIMIT 10) ORDER BY id`, "COVERING INDEX proposals_council", true},
		{`SELECT id FROM proposals WHERE plan_id = 'p' AND council_id = 'c' AND nullif(ref, '') = 'r'`, "proposals_council (plan_id=? AND council_id=? AND <expr>=?)", false},
		{`SELECT seq FROM audit WHERE plan_id = 'p' AND seq > 5 ORDER BY seq LIMIT 10`, "audit_plan", false},
		{`SELECT seq FROM audit WHERE plan_id = 'p' AND seq > 5 AND type = 'proposal.rejected' AND council_id = 'c' ORDER BY seq LIMIT 10`, "audit_rejected", false},
	} {
		rows, err := s.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		sorts := 0
		if tc.sortsIDs {
			sorts = 1
		}
		if p := strings.Join(plan, "; "); !strings.Contains(p, tc.want) || strings.Count(p, "TEMP B-TREE") != sorts {
			t.Errorf("%s: plan %q, want it through %s without sorting", tc.query, p, tc.want)
		}
	}
}

// TestPages: following After through ProposalsPage and EventsPage visits
// every row of the plan once, in order, and no other plan's.
func TestPages(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) { testPages(t, e) })
	}
}

func testPages(t *testing.T, e storetest.Engine) {
	ctx := context.Background()
	s, err := Open(ctx, e.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now()
	for _, plan := range []string{"a", "b"} {
		if err := s.CreatePlan(ctx, Plan{ID: plan, Name: plan, Scenario: []byte("{}"), Options: []byte("{}"), Created: now, Status: "open"}, nil, Round{PlanID: plan, Opened: now}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 7; i++ {
		for _, plan := range []string{"a", "b"} {
			if r := i / 3; i%3 == 0 && r > 0 {
				// round r opens (PostgreSQL takes proposals only in an open round)
				if err := s.CloseRound(ctx, Round{PlanID: plan, Number: r - 1, Closed: now, Result: []byte("{}")}, nil, &Round{PlanID: plan, Number: r, Opened: now}, "open", nil); err != nil {
					t.Fatal(err)
				}
			}
			council := []string{"x", "y"}[i%2]
			if _, err := s.AddProposal(ctx, Proposal{PlanID: plan, Round: i / 3, Council: council, Body: []byte("{}"), Source: "human", Created: now},
				Event{PlanID: plan, At: now, Type: RejectedType, Council: council, Detail: []byte("{}")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		council string
		want    int
	}{{"", 7}, {"x", 4}, {"y", 3}} {
		var ids, seqs []int64
		for q := (PageQuery{Plan: "a", Council: tc.council, Round: -1, Limit: 2}); ; {
			ps, err := s.ProposalsPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.PlanID != "a" || tc.council != "" && p.Council != tc.council {
					t.Fatalf("page of plan a, council %q: got %+v", tc.council, p)
				}
				ids = append(ids, p.ID)
			}
			if len(ps) < q.Limit {
				break
			}
			q.After = ps[len(ps)-1].ID
		}
		for q := (PageQuery{Plan: "a", Council: tc.council, Round: -1, Limit: 3}); ; {
			es, err := s.EventsPage(ctx, q, RejectedType)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				seqs = append(seqs, e.Seq)
			}
			if len(es) < q.Limit {
				break
			}
			q.After = es[len(es)-1].Seq
		}
		if len(ids) != tc.want || len(seqs) != tc.want {
			t.Fatalf("council %q: %d proposals and %d events over the pages, want %d", tc.council, len(ids), len(seqs), tc.want)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] || seqs[i] <= seqs[i-1] {
				t.Fatalf("out of order: %v %v", ids, seqs)
			}
		}
	}
	// A cursor of another plan's proposal is no cursor of this one.
	bs, err := s.ProposalsPage(ctx, PageQuery{Plan: "b", Round: -1, Limit: 1})
	if err != nil || len(bs) != 1 {
		t.Fatalf("plan b's first page: %v, %v", bs, err)
	}
	if _, err := s.ProposalsPage(ctx, PageQuery{Plan: "a", Round: -1, After: bs[0].ID, Limit: 1}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("plan a's page after plan b's proposal: %v, want ErrNotFound", err)
	}
	if _, err := s.EventsPage(ctx, PageQuery{Plan: "a", Round: -1, Limit: 1}, "round.closed"); err == nil {
		t.Fatal("EventsPage of an unindexed type did not fail")
	}
}
