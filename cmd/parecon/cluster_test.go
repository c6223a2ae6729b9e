package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"parecon/internal/loadtest"
	"parecon/internal/store"
	"parecon/internal/store/storetest"
)

// clusterOf starts n servers (built binaries) on one new PostgreSQL
// database and returns them with the database's URL.
func clusterOf(t *testing.T, n int) ([]*server, string) {
	t.Helper()
	db := storetest.Postgres(t)
	ss := make([]*server, n)
	for i := range ss {
		ss[i] = startServer(t, db)
	}
	dumpOnFail(t, ss)
	return ss, db
}

// dumpOnFail kills ss when t has failed and logs the end of each one's
// stderr (read only once it has exited).
func dumpOnFail(t *testing.T, ss []*server) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, s := range ss {
			s.cmd.Process.Kill()
			s.cmd.Wait()
			e := s.errs.String()
			t.Logf("server pid %d stderr (end):\n%s", s.cmd.Process.Pid, e[max(0, len(e)-4000):])
		}
	})
}

// leaderPid returns the pid of the server holding plan's leader lock, as
// an operator reads it from pg_locks (0 if none holds it).
func leaderPid(t *testing.T, db, plan string) int {
	t.Helper()
	d, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query(`SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2 AND l.objid = (hashtext($2)::bigint & 4294967295)`, store.LeaderLock, plan)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var app string
		rows.Scan(&app)
		pid, _ := strconv.Atoi(strings.TrimPrefix(app, "parecon pid "))
		pids = append(pids, pid)
	}
	if len(pids) > 1 {
		t.Fatalf("%d servers hold plan %s's leader lock: %v", len(pids), plan, pids)
	}
	if len(pids) == 0 {
		return 0
	}
	return pids[0]
}

// waitLeader waits up to d for a leader of plan other than not.
func waitLeader(t *testing.T, db, plan string, not int, d time.Duration) int {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if pid := leaderPid(t, db, plan); pid != 0 && pid != not {
			return pid
		}
	}
	t.Fatalf("no server took plan %s's lead within %v", plan, d)
	return 0
}

// storedHumanPG is storedHuman on PostgreSQL.
func storedHumanPG(t *testing.T, db, plan string) (map[int]ackRec, []string) {
	t.Helper()
	d, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rows, err := d.Query(`SELECT id, council_id, ref, round FROM proposals WHERE plan_id = $1 AND source = 'human'`, plan)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]ackRec{}
	seen := map[string]int{}
	var dups []string
	for rows.Next() {
		var a ackRec
		rows.Scan(&a.id, &a.council, &a.ref, &a.round)
		out[a.id] = a
		if seen[a.council+"/"+a.ref]++; seen[a.council+"/"+a.ref] == 2 {
			dups = append(dups, a.council+"/"+a.ref)
		}
	}
	return out, dups
}

// roundOn submits one proposal for every council (each on its own
// server) and waits until each has its acknowledgement and sees the round
// close and the next one open, on whichever server it is connected to.
func roundOn(t *testing.T, cs []*council, round int) {
	t.Helper()
	errs := make(chan error, len(cs))
	for _, c := range cs {
		go func() {
			if err := c.submit(""); err != nil {
				errs <- err
				return
			}
			acked := false
			for {
				typ, m, err := c.frame(20 * time.Second)
				if err != nil {
					errs <- fmt.Errorf("council %s, round %d: %v (acked %v)", c.lc.ID, round, err, acked)
					return
				}
				switch typ {
				case "proposal.accepted":
					if m["ref"] == c.ref {
						acked = true
						c.acks = append(c.acks, ackRec{c.lc.ID, c.ref, int(m["round"].(float64)), int(m["proposalId"].(float64))})
					}
				case "proposal.rejected", "error":
					errs <- fmt.Errorf("council %s: %v", c.lc.ID, m)
					return
				case "round.opened":
					if c.round == round+1 && acked {
						errs <- nil
						return
					}
				}
			}
		}()
	}
	for range cs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestClusterOnePlan: three servers on one PostgreSQL database serve one
// plan made on the first; councils connected to all three submit, each
// is acknowledged where it is connected, and every one of them sees the
// round close (because all were in) and the next open, whichever server
// runs the engine; exactly one server holds the plan's lock; a ref resent
// to another server gets the same acknowledgement.
func TestClusterOnePlan(t *testing.T) {
	ss, db := clusterOf(t, 3)
	scen, lcs, err := loadtest.Scenario(30, 4, 50, 3)
	if err != nil {
		t.Fatal(err)
	}
	var p created
	if st := httpJSON(t, "POST", ss[0].base+"/api/plans", "", scen, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	cs := make([]*council, len(lcs))
	for i, lc := range lcs {
		cs[i] = &council{lc: lc, token: p.CouncilTokens[lc.ID]}
		cs[i].dial(t, ss[i%3].base, p.ID)
	}
	if pid := waitLeader(t, db, p.ID, 0, 5*time.Second); pid == 0 {
		t.Fatal("no leader")
	}
	for r := 0; r < 2; r++ {
		roundOn(t, cs, r)
	}
	// The plan reads the same on every server.
	for _, s := range ss {
		var plan struct{ Round int }
		if st := httpJSON(t, "GET", s.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan); st != http.StatusOK || plan.Round != 2 {
			t.Fatalf("%s: plan at round %d (%d), want 2", s.base, plan.Round, st)
		}
	}
	// A resend of the last ref to the next server is the same ack.
	c := cs[0]
	last := c.acks[len(c.acks)-1]
	c.dial(t, ss[1].base, p.ID)
	c.round = last.round
	if err := c.submit(last.ref); err != nil {
		t.Fatal(err)
	}
	for {
		typ, m, err := c.frame(10 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if m["ref"] != last.ref {
			continue
		}
		if typ != "proposal.accepted" || int(m["proposalId"].(float64)) != last.id {
			t.Fatalf("resent %s to another server: %v, want proposal %d", last.ref, m, last.id)
		}
		break
	}
	stored, dups := storedHumanPG(t, db, p.ID)
	if len(dups) > 0 || len(stored) != 2*len(cs) {
		t.Fatalf("%d human proposals stored (dups %v), want %d", len(stored), dups, 2*len(cs))
	}
	// The facilitator closes round 2 through a server that does not lead:
	// the close is forwarded, answered once done, and seen everywhere.
	leader := leaderPid(t, db, p.ID)
	var follower *server
	for _, s := range ss {
		if s.cmd.Process.Pid != leader {
			follower = s
		}
	}
	if st := httpJSON(t, "POST", follower.base+"/api/plans/"+p.ID+"/rounds/close", p.FacilitatorToken, nil, nil); st != http.StatusOK {
		t.Fatalf("close through a follower: %d", st)
	}
	for _, s := range ss {
		var plan struct{ Round int }
		for end := time.Now().Add(5 * time.Second); plan.Round != 3 && time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			httpJSON(t, "GET", s.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
		}
		if plan.Round != 3 {
			t.Fatalf("%s: round %d after the forwarded close, want 3", s.base, plan.Round)
		}
	}
	// A deadline set through the follower is armed by the leader: round 3
	// closes by itself a second later, on every server.
	if st := httpJSON(t, "PATCH", follower.base+"/api/plans/"+p.ID+"/settings", p.FacilitatorToken, []byte(`{"roundDeadlineSeconds":1}`), nil); st != http.StatusOK {
		t.Fatalf("settings through a follower: %d", st)
	}
	for _, s := range ss {
		var plan struct{ Round int }
		for end := time.Now().Add(10 * time.Second); plan.Round < 4 && time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			httpJSON(t, "GET", s.base+"/api/plans/"+p.ID, p.ObserverToken, nil, &plan)
		}
		if plan.Round < 4 {
			t.Fatalf("%s: round %d 10 s after a 1 s deadline was set on a follower, want 4 or more", s.base, plan.Round)
		}
	}
}

// TestClusterLeaderKilled (fault): the server that runs a plan's engine
// is killed with SIGKILL mid-round, with half the councils in. Another
// server takes the lead within 5 s; the councils of the dead server
// reconnect to the others and resume from their snapshot, resending what
// they had in flight; the round closes once all are in, as it would have;
// every acknowledged proposal is stored once. Killing a non-leader then
// drops only its own sockets: the others carry on.
func TestClusterLeaderKilled(t *testing.T) {
	ss, db := clusterOf(t, 3)
	scen, lcs, err := loadtest.Scenario(30, 4, 50, 5)
	if err != nil {
		t.Fatal(err)
	}
	var p created
	if st := httpJSON(t, "POST", ss[1].base+"/api/plans", "", scen, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	leader := waitLeader(t, db, p.ID, 0, 5*time.Second)
	var dead *server
	alive := []*server{}
	for _, s := range ss {
		if s.cmd.Process.Pid == leader {
			dead = s
		} else {
			alive = append(alive, s)
		}
	}
	if dead == nil {
		t.Fatalf("leader pid %d is none of the servers", leader)
	}
	cs := make([]*council, len(lcs))
	on := make([]*server, len(lcs))
	for i, lc := range lcs {
		cs[i] = &council{lc: lc, token: p.CouncilTokens[lc.ID]}
		on[i] = ss[i%3]
		cs[i].dial(t, on[i].base, p.ID)
	}
	roundOn(t, cs, 0)
	// Half the councils submit in round 1 and are acknowledged.
	half := cs[:len(cs)/2]
	for _, c := range half {
		c.submit("")
	}
	for _, c := range half {
		for {
			typ, m, err := c.frame(10 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if typ == "proposal.accepted" && m["ref"] == c.ref {
				c.acks = append(c.acks, ackRec{c.lc.ID, c.ref, int(m["round"].(float64)), int(m["proposalId"].(float64))})
				c.ref = ""
				break
			}
		}
	}
	killed := time.Now()
	dead.cmd.Process.Signal(syscall.SIGKILL)
	dead.cmd.Wait()
	next := waitLeader(t, db, p.ID, leader, 5*time.Second)
	t.Logf("server %d took the lead %v after the kill", next, time.Since(killed).Round(time.Millisecond))
	// The dead server's councils reconnect elsewhere, from a snapshot.
	for i, c := range cs {
		if on[i] == dead {
			on[i] = alive[i%2]
			c.dial(t, on[i].base, p.ID)
			if c.round != 1 {
				t.Fatalf("council %s resumed in round %d, want 1", c.lc.ID, c.round)
			}
		}
	}
	// The other half submits; the round closes on all in.
	rest := cs[len(cs)/2:]
	errs := make(chan error, len(cs))
	for _, c := range rest {
		go func() {
			c.submit("")
			for {
				typ, m, err := c.frame(20 * time.Second)
				if err != nil {
					errs <- fmt.Errorf("council %s: %v", c.lc.ID, err)
					return
				}
				if typ == "proposal.accepted" && m["ref"] == c.ref {
					c.acks = append(c.acks, ackRec{c.lc.ID, c.ref, int(m["round"].(float64)), int(m["proposalId"].(float64))})
				}
				if typ == "round.closed" {
					if int(m["round"].(float64)) != 1 || len(m["submitted"].([]any)) != len(cs) {
						errs <- fmt.Errorf("council %s: round.closed %v, want round 1 with all %d in", c.lc.ID, m, len(cs))
					} else {
						errs <- nil
					}
					return
				}
			}
		}()
	}
	for range rest {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	stored, dups := storedHumanPG(t, db, p.ID)
	if len(dups) > 0 {
		t.Fatalf("stored twice: %v", dups)
	}
	for _, c := range cs {
		for _, a := range c.acks {
			if got, ok := stored[a.id]; !ok || got.council != a.council || got.round != a.round {
				t.Fatalf("acknowledged %+v: stored %+v (%v)", a, got, ok)
			}
		}
	}
	if len(stored) != 2*len(cs) {
		t.Fatalf("%d human proposals stored, want %d", len(stored), 2*len(cs))
	}
	// Kill the server that follows now: only its sockets drop.
	var follower, still *server
	for _, s := range alive {
		if s.cmd.Process.Pid == next {
			still = s
		} else {
			follower = s
		}
	}
	follower.cmd.Process.Signal(syscall.SIGKILL)
	follower.cmd.Wait()
	if pid := leaderPid(t, db, p.ID); pid != next {
		t.Fatalf("the lead moved to %d when a follower died", pid)
	}
	for i, c := range cs {
		if on[i] != still {
			continue
		}
		for c.round < 2 { // round 1's close and round 2's opening are queued
			if _, _, err := c.frame(10 * time.Second); err != nil {
				t.Fatalf("council %s waiting for round 2: %v", c.lc.ID, err)
			}
		}
		c.submit("")
		for {
			typ, m, err := c.frame(10 * time.Second)
			if err != nil {
				t.Fatalf("council %s on the surviving server: %v", c.lc.ID, err)
			}
			if typ == "proposal.accepted" && m["ref"] == c.ref {
				break
			}
		}
	}
}

// TestClusterPostgresRestart (fault): PostgreSQL (a server of the test's
// own) stops under two servers. They stay up, keep their sockets and
// refuse proposals with a clear unavailable error; /healthz says 503.
// Once it is back they recover by themselves: proposals are taken again,
// a leader holds the plan again, and the round closes when all are in.
func TestClusterPostgresRestart(t *testing.T) {
	pg := storetest.Private(t)
	ss := []*server{startServer(t, pg.URL), startServer(t, pg.URL)}
	dumpOnFail(t, ss)
	scen, lcs, err := loadtest.Scenario(10, 3, 50, 9)
	if err != nil {
		t.Fatal(err)
	}
	var p created
	if st := httpJSON(t, "POST", ss[0].base+"/api/plans", "", scen, &p); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	cs := make([]*council, len(lcs))
	for i, lc := range lcs {
		cs[i] = &council{lc: lc, token: p.CouncilTokens[lc.ID]}
		cs[i].dial(t, ss[i%2].base, p.ID)
	}
	waitLeader(t, pg.URL, p.ID, 0, 5*time.Second)
	roundOn(t, cs, 0)

	pg.Stop(t)
	c := cs[0]
	if err := c.submit(""); err != nil {
		t.Fatal(err)
	}
	for {
		typ, m, err := c.frame(20 * time.Second)
		if err != nil {
			t.Fatalf("while PostgreSQL is down: %v", err)
		}
		if typ == "error" {
			if m["code"] != "unavailable" || !strings.Contains(m["message"].(string), "database") {
				t.Fatalf("refusal while down: %v", m)
			}
			t.Logf("refused while down: %v", m["message"])
			break
		}
		if typ == "proposal.accepted" {
			t.Fatalf("acknowledged while PostgreSQL is down: %v", m)
		}
	}
	resp, err := http.Get(ss[1].base + "/healthz")
	if err != nil {
		t.Fatalf("server down with the database: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/healthz while the database is down: %d, want 503", resp.StatusCode)
	}

	pg.Start(t)
	back := time.Now()
	// The refused proposal is resent until it is taken.
	for taken := false; !taken; {
		if time.Since(back) > 20*time.Second {
			t.Fatal("proposals still refused 20 s after PostgreSQL came back")
		}
		time.Sleep(200 * time.Millisecond)
		if err := c.submit(c.ref); err != nil {
			t.Fatal(err)
		}
		for {
			typ, m, err := c.frame(10 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if typ == "error" {
				break
			}
			if typ == "proposal.accepted" && m["ref"] == c.ref {
				taken = true
				break
			}
		}
	}
	t.Logf("taken again %v after PostgreSQL restarted", time.Since(back).Round(time.Millisecond))
	waitLeader(t, pg.URL, p.ID, 0, 10*time.Second)
	// The rest submit; the round closes on all in, on both servers.
	errs := make(chan error, len(cs))
	for _, c := range cs {
		go func() {
			if c != cs[0] {
				c.submit("")
			}
			for {
				typ, m, err := c.frame(20 * time.Second)
				if err != nil {
					errs <- fmt.Errorf("council %s: %v", c.lc.ID, err)
					return
				}
				if typ == "round.closed" {
					if int(m["round"].(float64)) != 1 || len(m["submitted"].([]any)) != len(cs) {
						errs <- fmt.Errorf("round.closed %v, want round 1 with all in", m)
					} else {
						errs <- nil
					}
					return
				}
			}
		}()
	}
	for range cs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
