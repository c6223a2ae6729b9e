package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"parecon/councils"
	"parecon/internal/hub"
	"parecon/internal/store"
	"parecon/internal/wire"
)

// Several servers on one PostgreSQL database serve every plan together.
// Each server holds every plan in memory, with its own goroutine. Exactly
// one server leads a plan: it holds the plan's advisory lock
// (store.LeaderLock, on a connection of its own) and runs its engine —
// deadlines, closes. The others follow: their plan goroutines check
// proposals against their copy of the round and store them (acknowledged
// once PostgreSQL committed them), forward a facilitator's close to the
// leader, and keep their copy current from the database when a commit
// group's notification (store.Channel) names the plan: new proposals are
// read by id and applied, a round closed elsewhere is replayed and its
// frames sent to this server's sockets. A server that dies loses its
// locks with its connection; another takes the plans over within
// leadEvery. SQLite has none of this (cluster is nil).

// closeChannel carries a facilitator's close from a follower to the
// leader: "planID round".
const closeChannel = "parecon_close"

// leadEvery is how often a server tries to take the plans no one leads
// (one query for all of them).
const leadEvery = 100 * time.Millisecond

// forwardWait is how long a close forwarded to the leader is waited for.
const forwardWait = 10 * time.Second

// follow is a plan's part in the cluster (plan goroutine).
type follow struct {
	follower   bool           // another server runs the engine
	cursor     int64          // the last proposal id read by sync
	seen       map[int64]bool // the human proposals of round seenRound applied or passed over
	seenRound  int
	syncing    bool // a read is under way
	syncAgain  bool // a notification came during it
	syncWanted bool // wanted while proposals were pending or a close ran
	waiters    []*closeReq
}

// cluster is the service's link to the other servers.
type cluster struct {
	s    *Service
	dsn  string
	quit chan struct{}
	wg   sync.WaitGroup
	kick chan struct{}
	mu   sync.Mutex
	led  map[string]bool // plans whose lock this server holds
}

func newCluster(s *Service) *cluster {
	return &cluster{s: s, dsn: s.store.DSN(), quit: make(chan struct{}), kick: make(chan struct{}, 1), led: map[string]bool{}}
}

func (c *cluster) start() {
	c.wg.Add(2)
	go c.listen()
	go c.lead()
}

func (c *cluster) close() {
	close(c.quit)
	c.wg.Wait()
}

// Leads reports whether this server runs plan id's engine.
func (s *Service) Leads(id string) bool {
	if s.cluster == nil {
		_, err := s.plan(id)
		return err == nil
	}
	s.cluster.mu.Lock()
	defer s.cluster.mu.Unlock()
	return s.cluster.led[id]
}

// connect opens a connection of its own, retrying until quit.
func (c *cluster) connect() *pgx.Conn {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var conn *pgx.Conn
		cfg, err := pgx.ParseConfig(c.dsn)
		if err == nil {
			// pg_stat_activity (joined to pg_locks) names the server.
			cfg.RuntimeParams["application_name"] = "parecon pid " + strconv.Itoa(os.Getpid())
			conn, err = pgx.ConnectConfig(ctx, cfg)
		}
		cancel()
		if err == nil {
			return conn
		}
		c.s.log.Warn("cluster: cannot reach the database; retrying", "err", err)
		select {
		case <-c.quit:
			return nil
		case <-time.After(wait):
		}
	}
}

// lead takes the lock of every open plan no server leads, every leadEvery
// (or when kicked), and tells the plan; when the connection is lost every
// plan it led is told it follows.
func (c *cluster) lead() {
	defer c.wg.Done()
	for {
		conn := c.connect()
		if conn == nil {
			return
		}
		err := c.leadOn(conn)
		conn.Close(context.Background())
		c.mu.Lock()
		led := c.led
		c.led = map[string]bool{}
		c.mu.Unlock()
		for id := range led {
			if p, _ := c.s.plan(id); p != nil {
				p.post(p.demote)
			}
		}
		if err == nil {
			return
		}
		c.s.log.Warn("cluster: lost the lock connection; this server leads no plan until it is back", "err", err)
	}
}

func (c *cluster) leadOn(conn *pgx.Conn) error {
	t := time.NewTicker(leadEvery)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return nil
		case <-t.C:
		case <-c.kick:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
			cancel()
			return err
		}
		// One query a tick for every open plan no one here leads.
		var ids []string
		byID := map[string]*plan{}
		c.mu.Lock()
		for _, p := range c.s.planList() {
			if sum := p.summary.Load(); !c.led[p.id] && sum != nil && sum.Status == string(councils.StatusOpen) {
				ids = append(ids, p.id)
				byID[p.id] = p
			}
		}
		c.mu.Unlock()
		if len(ids) > 0 {
			rows, err := conn.Query(ctx, `SELECT id FROM unnest($2::text[]) AS id WHERE pg_try_advisory_lock($1, hashtext(id))`, store.LeaderLock, ids)
			if err != nil {
				cancel()
				return err
			}
			got, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				cancel()
				return err
			}
			for _, id := range got {
				p := byID[id]
				c.mu.Lock()
				c.led[id] = true
				c.mu.Unlock()
				c.s.log.Info("cluster: this server leads the plan", "plan", id)
				p.post(p.takeLead)
			}
		}
		cancel()
	}
}

// listen follows the notifications of every server's commits and the
// closes forwarded to this server, reconnecting when the connection is
// lost (and then syncing every plan: notifications were missed).
func (c *cluster) listen() {
	defer c.wg.Done()
	for {
		conn := c.connect()
		if conn == nil {
			return
		}
		err := c.listenOn(conn)
		conn.Close(context.Background())
		if err == nil {
			return
		}
		c.s.log.Warn("cluster: lost the notification connection; reconnecting", "err", err)
	}
}

func (c *cluster) listenOn(conn *pgx.Conn) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-c.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	for _, ch := range []string{store.Channel, closeChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	c.syncAll(ctx)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			select {
			case <-c.quit:
				return nil
			default:
				return err
			}
		}
		switch n.Channel {
		case store.Channel:
			if n.Payload == "*" {
				c.syncAll(ctx)
				continue
			}
			for _, id := range strings.Split(n.Payload, ",") {
				c.notified(ctx, id)
			}
		case closeChannel:
			id, r, _ := strings.Cut(n.Payload, " ")
			round, err := strconv.Atoi(r)
			if p, _ := c.s.plan(id); p != nil && err == nil {
				p.post(func() {
					if !p.cl.follower {
						p.requestClose(&closeReq{round: &round, why: reasonFacilitator})
					}
				})
			}
		}
	}
}

// notified syncs plan id, loading it first if this server has not seen it
// (it was just created elsewhere).
func (c *cluster) notified(ctx context.Context, id string) {
	c.s.mu.RLock()
	p := c.s.plans[id]
	c.s.mu.RUnlock()
	if p == nil {
		if _, err := c.s.loadPlan(ctx, id); err != nil && !errors.Is(err, store.ErrNotFound) {
			c.s.log.Error("cluster: loading a plan made on another server", "plan", id, "err", err)
		}
		return
	}
	p.post(p.wantSync)
}

// syncAll loads the plans this server lacks and syncs the others.
func (c *cluster) syncAll(ctx context.Context) {
	rows, err := c.s.store.Plans(ctx)
	if err != nil {
		c.s.log.Warn("cluster: listing the plans", "err", err)
		return
	}
	for _, r := range rows {
		c.notified(ctx, r.ID)
	}
}

// planList returns the service's plans.
func (s *Service) planList() []*plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*plan, 0, len(s.plans))
	for _, p := range s.plans {
		out = append(out, p)
	}
	return out
}

// loadPlan replays plan id from the database and serves it (a follower
// until the lock loop says otherwise).
func (s *Service) loadPlan(ctx context.Context, id string) (*plan, error) {
	row, err := s.store.Plan(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.replay(ctx, row)
	if err != nil {
		return nil, err
	}
	return s.add(p), nil
}

// replayed sets p's cluster state from the stored proposals it was
// replayed from.
func (p *plan) replayed(props []store.Proposal) {
	if p.s.cluster == nil {
		return
	}
	p.cl.follower = true
	n := p.live.Round().Number
	p.cl.seen, p.cl.seenRound = map[int64]bool{}, n
	for _, pr := range props {
		p.cl.cursor = max(p.cl.cursor, pr.ID)
		if pr.Round == n && pr.Source == "human" {
			p.cl.seen[pr.ID] = true
		}
	}
}

// markSeen notes a human proposal of round as applied or passed over;
// it reports whether it was new.
func (p *plan) markSeen(id int64, round int) bool {
	if p.s.cluster == nil {
		return true
	}
	if round != p.cl.seenRound || p.cl.seen == nil {
		p.cl.seen, p.cl.seenRound = map[int64]bool{}, round
	}
	if p.cl.seen[id] {
		return false
	}
	p.cl.seen[id] = true
	return true
}

// seenCount is how many human proposals of the open round a close has
// seen, for the store to check (nil without a cluster).
func (p *plan) seenCount() *int {
	if p.s.cluster == nil {
		return nil
	}
	n := 0
	if p.cl.seenRound == p.live.Round().Number {
		n = len(p.cl.seen)
	}
	return &n
}

// takeLead makes this server run p's engine: it catches up with the
// database, arms the deadline and closes a round that is due or full.
func (p *plan) takeLead() {
	p.cl.follower = false
	p.wantSync()
	p.arm()
	p.closeIfDone()
}

// demote stops p's engine here: another server may lead it now.
func (p *plan) demote() {
	p.cl.follower = true
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// closeIfDone asks for a close when every human council is in (leader).
func (p *plan) closeIfDone() {
	if p.cl.follower || p.broken || p.wantClose != nil || p.busy || p.status != councils.StatusOpen {
		return
	}
	if p.humansWaiting() == 0 && p.live.AllHumansIn() {
		n := p.live.Round().Number
		p.requestClose(&closeReq{round: &n, why: reasonAllIn})
	}
}

// forwardClose hands a facilitator's close to the leader and answers r
// once this server has seen the round close (or after forwardWait).
func (p *plan) forwardClose(r *closeReq) {
	n := p.round().number
	p.cl.waiters = append(p.cl.waiters, r)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.s.store.Notify(ctx, closeChannel, p.id+" "+strconv.Itoa(n)); err != nil {
			p.post(func() { p.answerWaiters(unavailable(err)) })
			return
		}
		time.Sleep(forwardWait)
		p.post(func() {
			if p.round().number == n && p.status == councils.StatusOpen {
				p.answerWaiters(councils.Errorf(councils.Unavailable, "", "the server running this plan did not close round %d in time; try again", n))
			}
		})
	}()
}

func (p *plan) answerWaiters(err error) {
	for _, r := range p.cl.waiters {
		r.answer(err)
	}
	p.cl.waiters = nil
}

// syncRead is what a sync read from the database.
type syncRead struct {
	props    []store.Proposal // new proposals of the round
	fresh    *plan            // the plan replayed: its round closed elsewhere
	why      string           // the closed round's reason
	deadline time.Duration
	due      time.Time
	privacy  []byte // plans.privacy
	err      error
}

// wantSync brings p up to date with the database (plan goroutine): the
// read runs off the goroutine, one at a time.
func (p *plan) wantSync() {
	if p.s.cluster == nil || p.broken {
		return
	}
	if p.pending > 0 || p.busy {
		p.cl.syncWanted = true
		return
	}
	if p.cl.syncing {
		p.cl.syncAgain = true
		return
	}
	p.cl.syncing = true
	number, cursor := p.live.Round().Number, p.cl.cursor
	go func() {
		out := p.readSync(number, cursor)
		p.postResult(func() { p.applySync(out) })
	}()
}

// syncIfWanted runs a sync held back by pending proposals or a close.
func (p *plan) syncIfWanted() {
	if p.cl.syncWanted && p.pending == 0 && !p.busy {
		p.cl.syncWanted = false
		p.wantSync()
	}
}

// readSync reads what changed in p since round number and proposal
// cursor (off the plan goroutine).
func (p *plan) readSync(number int, cursor int64) (out syncRead) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st := p.s.store
	row, err := st.Plan(ctx, p.id)
	if err != nil {
		return syncRead{err: err}
	}
	rounds, err := st.Rounds(ctx, p.id)
	if err != nil {
		return syncRead{err: err}
	}
	out.deadline, out.privacy = row.RoundDeadline, row.Privacy
	if len(rounds) == 0 || rounds[len(rounds)-1].Number != number || !rounds[len(rounds)-1].Closed.IsZero() {
		out.fresh, out.err = p.s.replay(ctx, row)
		out.why = closedWhy(ctx, st, p.id, len(rounds)-1, rounds)
		return out
	}
	out.due = rounds[len(rounds)-1].Deadline
	for q := (store.PageQuery{Plan: p.id, Round: number, After: cursor, Limit: 5000}); ; {
		ps, err := st.ProposalsPage(ctx, q)
		if err != nil {
			return syncRead{err: err}
		}
		out.props = append(out.props, ps...)
		if len(ps) < q.Limit {
			return out
		}
		q.After = ps[len(ps)-1].ID
	}
}

// closedWhy reads why the last closed round closed, from its audit event.
func closedWhy(ctx context.Context, st *store.Store, plan string, last int, rounds []store.Round) string {
	n := last
	if n >= 0 && rounds[n].Closed.IsZero() {
		n--
	}
	if n < 0 {
		return ""
	}
	why := ""
	for q := (store.PageQuery{Plan: plan, Round: n, Limit: 5000}); ; {
		es, err := st.EventsPage(ctx, q, "")
		if err != nil {
			return why
		}
		for _, e := range es {
			if e.Type == "round.closed" {
				var d struct {
					Reason string `json:"reason"`
				}
				json.Unmarshal(e.Detail, &d)
				why = d.Reason
			}
		}
		if len(es) < q.Limit {
			return why
		}
		q.After = es[len(es)-1].Seq
	}
}

// applySync applies what readSync found (plan goroutine).
func (p *plan) applySync(in syncRead) {
	p.cl.syncing = false
	defer func() {
		if p.cl.syncAgain {
			p.cl.syncAgain = false
			p.wantSync()
		}
	}()
	if in.err != nil {
		p.s.log.Warn("cluster: reading a plan's changes", "plan", p.id, "err", in.err)
		return
	}
	if p.broken {
		return
	}
	if p.busy || p.pending > 0 {
		p.cl.syncWanted = true
		return
	}
	if in.fresh != nil {
		p.followClose(in.fresh, in.why)
		return
	}
	for _, sp := range in.props {
		p.cl.cursor = max(p.cl.cursor, sp.ID)
		if sp.Source != "human" || !p.markSeen(sp.ID, sp.Round) {
			continue
		}
		c, ok := p.econ.Council(sp.Council)
		if !ok || sp.ID <= p.lastID[c] || sp.Round != p.live.Round().Number {
			continue
		}
		var doc councils.ProposalDoc
		var v councils.Verdict
		if json.Unmarshal(sp.Body, &doc) != nil || store.DecodeJSON("verdict", sp.Verdict, &v) != nil {
			p.s.log.Error("cluster: a stored proposal does not decode", "plan", p.id, "id", sp.ID)
			continue
		}
		pr, err := p.econ.ProposalFromDoc(c, &doc)
		if err != nil {
			p.s.log.Error("cluster: a stored proposal does not fit the plan", "plan", p.id, "id", sp.ID, "err", err)
			continue
		}
		wasIn := p.live.Round().Fresh[c]
		p.humansWaiting()
		p.live.Accept(c, pr)
		p.lastID[c] = sp.ID
		delete(p.byModel, c) // its own proposal now, not its model's
		if !wasIn && p.live.Human(c) {
			p.waiting--
		}
		if sp.Ref != "" {
			p.acks[ackKey(sp.Council, sp.Ref)] = ack{round: sp.Round, id: sp.ID, verdict: v}
		}
		p.announce(sp.Round, sp.Council, sp.Body, v)
	}
	if !bytes.Equal(in.privacy, p.privRaw) {
		p.followPrivacy(in.privacy)
	}
	if in.deadline != p.deadline || !in.due.Equal(p.due) {
		p.deadline, p.due = in.deadline, in.due
		p.arm()
		out := wire.SettingsChanged{RoundDeadlineSeconds: int(in.deadline / time.Second), Round: p.live.Round().Number, Deadline: wire.Time(p.due)}
		if b, err := wire.Encode(out); err == nil {
			p.s.hub.Broadcast(p.id, b)
		}
	}
	p.publish()
	p.closeIfDone()
}

// followPrivacy applies a privacy setting another server stored (before
// round 0 closed) and tells this server's sockets, as setPrivacy does.
func (p *plan) followPrivacy(raw []byte) {
	set, err := storedPrivacy(p.econ, raw)
	if err != nil {
		p.s.log.Error("cluster: a stored privacy setting does not decode", "plan", p.id, "err", err)
		return
	}
	p.setPriv(newPrivacy(p.econ, set))
	p.privRaw = raw
	ps := wire.PrivacySettings{K: set.K, Facilitator: set.Facilitator}
	out := wire.SettingsChanged{RoundDeadlineSeconds: int(p.deadline / time.Second), Round: p.live.Round().Number, Deadline: wire.Time(p.due), Privacy: &ps}
	if b, err := wire.Encode(out); err == nil {
		p.s.hub.Broadcast(p.id, b)
	}
}

// followClose adopts the plan as replayed after a round closed on another
// server and sends this server's sockets the frames its leader sent.
func (p *plan) followClose(q *plan, why string) {
	old := p.live.Round().Number
	p.adopt(q)
	p.cl.cursor, p.cl.seen, p.cl.seenRound = q.cl.cursor, q.cl.seen, q.cl.seenRound
	p.frozen = nil
	p.publish()
	if len(p.results) == 0 || p.results[len(p.results)-1].Round < old {
		p.arm()
		return
	}
	last := len(p.results) - 1
	out := closeOut{row: p.results[last], pub: p.public[last], now: p.opened, econ: p.econ}
	out.status, out.reason = p.live.Status()
	out.res = &councils.CloseResult{Status: out.status}
	if out.status == councils.StatusOpen {
		out.res.Next = p.live.Round()
	}
	if err := p.encodeClose(&out, why, "", p.deadline); err != nil {
		p.s.log.Error("cluster: encoding a round closed elsewhere", "plan", p.id, "err", err)
		return
	}
	// The same frames as the leader's closeDone sends its own sockets.
	all := p.priv.facilitatorSeesAll()
	p.s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
		if all && c.Role == RoleFacilitator {
			return out.all
		}
		return out.closed
	})
	if out.res.Next != nil {
		p.s.hub.BroadcastEach(p.id, func(c *hub.Client) []byte {
			if c.Role == RoleCouncil || c.Role == RoleFederation {
				if b, ok := out.budgets[c.Council]; ok {
					return b
				}
			}
			return out.opened
		})
	} else {
		p.s.hub.Broadcast(p.id, out.opened)
	}
	p.answerWaiters(nil)
	p.arm()
	p.closeIfDone()
}
