package live

import (
	"context"
	"testing"
)

// TestResendAfterCloseIsAcknowledged: a council whose server went away
// resends its ref to a server that has closed the round it was sent for
// and never read the acknowledgement (another server stored it). The ref
// is in the store, so it is acknowledged, not refused as a stale round;
// a ref the store does not hold is refused, with its attempt in the audit
// log.
func TestResendAfterCloseIsAcknowledged(t *testing.T) {
	ctx := context.Background()
	s, st := testService(t)
	p := create(t, s, crowd(3))
	if err := submit(s, p, "h00", 0, "r0-1"); err != nil {
		t.Fatal(err)
	}
	zero := 0
	if err := s.CloseRound(ctx, p.fac, p.ID, &zero, nil, ""); err != nil {
		t.Fatal(err)
	}
	pl, err := s.lookup(p.fac, p.ID, OpRead)
	if err != nil {
		t.Fatal(err)
	}
	forgot := make(chan struct{})
	pl.post(func() { delete(pl.acks, ackKey("h00", "r0-1")); close(forgot) })
	<-forgot

	rejections := func() int {
		t.Helper()
		es, err := st.EventsOfType(ctx, p.ID, "proposal.rejected")
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	before := rejections()
	for _, c := range []struct {
		ref      string
		rejected int
	}{
		{"r0-1", 0}, // stored in round 0: its acknowledgement again
		{"r0-2", 1}, // never stored: refused for its round
	} {
		if err := submit(s, p, "h00", 0, c.ref); err != nil {
			t.Fatalf("resending %s: %v", c.ref, err)
		}
		if got := rejections() - before; got != c.rejected {
			t.Fatalf("after resending %s for the closed round 0: %d rejections in the audit log, want %d", c.ref, got, c.rejected)
		}
	}
}
