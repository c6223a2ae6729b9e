// Package loadtest drives a parecon server as thousands of human councils
// would: it creates a plan of N human councils, holds one real websocket
// per council on loopback, has every council submit a valid proposal in
// every round, and measures what the server holds: connections,
// acknowledged (durable) proposals per second, acknowledgement latency,
// the time round.closed takes to reach every client, and the server's peak
// memory. It talks to loopback servers only.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"parecon/internal/wire"
)

// Config is one load test.
type Config struct {
	Server string // the server's base URL, http://127.0.0.1:PORT
	// Servers, if set, are several servers of one plan (on one
	// PostgreSQL database): the plan is made on the first and council i
	// connects to server i mod len(Servers); Server is then ignored.
	Servers []string
	// ServerPIDs are their processes (0 or missing: found by port).
	ServerPIDs []int
	// KillAt, with Kill, calls Kill once that many proposals have been
	// acknowledged (mid-round, to kill the server leading the plan): the
	// councils of a server that goes away reconnect to the others.
	KillAt   int
	Kill     func() (pid int, takeover time.Duration, err error)
	Councils int           // human councils, one websocket each
	Rounds   int           // rounds every council submits in
	Goods    int           // produced goods of the generated economy (default 12)
	Seed     uint64        // seed of the generated economy (default 1)
	Timeout  time.Duration // the whole test ends by then (default 5 min)
	// Dialers is how many connections are opened at once (default 64).
	Dialers int
	// Stall is how long a round may make no progress before the
	// facilitator closes it over HTTP (default 5 s).
	Stall time.Duration
	// Spread spreads the councils' proposals evenly over this time after
	// each round opens, as people who read the new prices first would;
	// 0 has every council submit at once.
	Spread time.Duration
	// Facilitator also holds the facilitator's websocket through the
	// test: it gets round.submitted and proposal.received for every
	// proposal, and must not be dropped.
	Facilitator bool
	// ServerPID is the server's process, for its peak memory; 0 finds it
	// by the port it listens on.
	ServerPID int
	// Progress, if set, gets a line per phase.
	Progress io.Writer
}

// Result is what a load test measured.
type Result struct {
	Connections      int     `json:"connections"`
	ProposalsPerSec  float64 `json:"proposalsPerSec"`
	AckP50Ms         float64 `json:"ackP50Ms"`
	AckP99Ms         float64 `json:"ackP99Ms"`
	CloseFanoutP50Ms float64 `json:"closeFanoutP50Ms"`
	CloseFanoutP99Ms float64 `json:"closeFanoutP99Ms"`
	ServerRssMB      float64 `json:"serverRssMB"`
	Errors           int     `json:"errors"`

	// Several servers: each one's peak memory (by Servers' order), the
	// councils that reconnected, and after a Kill the time from it to the
	// next round.closed a council saw.
	ServersRssMB  []float64 `json:"serversRssMB,omitempty"`
	Reconnects    int       `json:"reconnects,omitempty"`
	KilledPID     int       `json:"killedPid,omitempty"`
	KillToCloseMs float64   `json:"killToCloseMs,omitempty"`
	TakeoverMs    float64   `json:"takeoverMs,omitempty"` // kill → another server holds the plan\'s lock

	// Details.
	Councils  int     `json:"councils"`
	SpreadSec float64 `json:"spreadSec"`
	Rounds    int     `json:"rounds"`
	Acked     int     `json:"acked"`
	// AckedRounds counts each council's rounds with an acknowledged
	// proposal once: a council that proposes again in a round (after a
	// reconnect to a server that had not yet read the round's opening,
	// whose snapshot is a round behind and which refuses the proposal in
	// flight as stale) is acknowledged twice there.
	AckedRounds       int      `json:"ackedRounds"`
	ConnectSec        float64  `json:"connectSec"`
	RunSec            float64  `json:"runSec"`
	CloseFanoutMaxMs  float64  `json:"closeFanoutMaxMs"`
	RoundCloseP50Ms   float64  `json:"roundCloseP50Ms"` // last ack of a round → first round.closed (engine + commit)
	ForcedCloses      int      `json:"forcedCloses"`
	ServerPID         int      `json:"serverPid,omitempty"`
	ServerRssNowMB    float64  `json:"serverRssNowMB"`
	ErrorSamples      []string `json:"errorSamples,omitempty"`
	RoundsCompleted   int      `json:"roundsCompleted"`
	ClientsCompleted  int      `json:"clientsCompleted"`
	RejectedProposals int      `json:"rejectedProposals"`
	FacilitatorFrames int      `json:"facilitatorFrames,omitempty"`
}

// CheckLoopback returns an error unless u is an http(s) URL whose host is
// a loopback address or localhost.
func CheckLoopback(u string) (*url.URL, error) {
	pu, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("loadtest: server URL: %w", err)
	}
	if pu.Scheme != "http" {
		return nil, fmt.Errorf("loadtest: server URL %q: want http://127.0.0.1:PORT", u)
	}
	host := pu.Hostname()
	if host == "localhost" {
		return pu, nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("loadtest: %q is not a loopback address: the load test only talks to this machine", host)
	}
	return pu, nil
}

// errorLog counts errors and keeps a few samples.
type errorLog struct {
	mu      sync.Mutex
	n       int
	samples []string
}

func (e *errorLog) add(format string, args ...any) {
	e.mu.Lock()
	e.n++
	if len(e.samples) < 10 {
		e.samples = append(e.samples, fmt.Sprintf(format, args...))
	}
	e.mu.Unlock()
}

// Run runs the load test described by cfg.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if len(cfg.Servers) == 0 {
		cfg.Servers = []string{cfg.Server}
		cfg.ServerPIDs = []int{cfg.ServerPID}
	}
	bases := make([]*url.URL, len(cfg.Servers))
	for i, s := range cfg.Servers {
		b, err := CheckLoopback(s)
		if err != nil {
			return nil, err
		}
		bases[i] = b
	}
	base := bases[0]
	if cfg.Councils < 1 || cfg.Rounds < 1 {
		return nil, errors.New("loadtest: want at least one council and one round")
	}
	if cfg.Goods == 0 {
		cfg.Goods = 12
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Minute
	}
	if cfg.Dialers <= 0 {
		cfg.Dialers = 64
	}
	if cfg.Stall <= 0 {
		cfg.Stall = 5 * time.Second
	}
	progress := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", args...)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()

	pids := make([]int, len(bases))
	for i, b := range bases {
		if i < len(cfg.ServerPIDs) {
			pids[i] = cfg.ServerPIDs[i]
		}
		if pids[i] == 0 {
			port, _ := strconv.Atoi(b.Port())
			pids[i], _ = PIDByPort(port)
		}
	}
	pid := pids[0]

	// The economy: the generator needs one more council than goods.
	goods := min(cfg.Goods, max(2, cfg.Councils-1))
	n := max(cfg.Councils, goods+1)
	scen, cs, err := Scenario(n, goods, cfg.Rounds, cfg.Seed)
	if err != nil {
		return nil, err
	}
	var plan wire.Created
	hc := &http.Client{Timeout: time.Minute}
	if err := postJSON(ctx, hc, base.String()+"/api/plans", "", scen, http.StatusCreated, &plan); err != nil {
		return nil, fmt.Errorf("loadtest: creating the plan: %w", err)
	}
	progress("plan %s: %d human councils", plan.ID, len(plan.CouncilTokens))

	res := &Result{Councils: len(cs), Rounds: cfg.Rounds, ServerPID: pid, SpreadSec: cfg.Spread.Seconds()}
	errs := &errorLog{}
	clients := make([]*client, 0, len(cs))
	for i := range cs {
		tok, ok := plan.CouncilTokens[cs[i].ID]
		if !ok {
			return nil, fmt.Errorf("loadtest: no token for council %s", cs[i].ID)
		}
		clients = append(clients, &client{council: &cs[i], token: tok, closedAt: map[int]time.Time{}, answered: map[string]bool{}, sentRound: -1,
			delay: cfg.Spread * time.Duration(i) / time.Duration(len(cs))})
	}

	// Connect everyone, Dialers at a time; each client reads its snapshot.
	wsURLs := make([]string, len(bases))
	for i, b := range bases {
		wsURLs[i] = "ws://" + b.Host + "/ws?plan=" + url.QueryEscape(plan.ID)
	}
	wsURL := wsURLs[0]
	dialer := newDialer(base.Hostname())
	for i, c := range clients {
		k := i % len(wsURLs)
		c.urls = append(append([]string{}, wsURLs[k:]...), wsURLs[:k]...)
		c.dialer, c.missed = dialer, map[int]bool{}
	}
	t0 := time.Now()
	sem := make(chan struct{}, cfg.Dialers)
	var wg sync.WaitGroup
	var connected atomic.Int64
	for i, c := range clients {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := c.connect(ctx, dialer, c.urls[0]); err != nil {
				errs.add("council %s: connect: %v", c.council.ID, err)
				return
			}
			connected.Add(1)
			if i > 0 && i%1000 == 0 {
				progress("%d connected", connected.Load())
			}
		}()
	}
	wg.Wait()
	res.ConnectSec = time.Since(t0).Seconds()
	res.Connections = int(connected.Load())
	progress("%d connections in %.1f s", res.Connections, res.ConnectSec)
	if pid > 0 {
		if rss, _, err := ProcMemMB(pid); err == nil {
			res.ServerRssNowMB = rss
		}
	}

	// Play: every connected client submits in every round.
	var acked, done atomic.Int64
	var killed, killedPID, takeover atomic.Int64 // unix nanoseconds of the Kill, whom, and how long until another led
	var killOnce sync.Once
	var killWG sync.WaitGroup // the Kill, which the results wait for
	var progressMu sync.Mutex
	lastProgress := time.Now()
	tick := func() {
		progressMu.Lock()
		lastProgress = time.Now()
		progressMu.Unlock()
		if cfg.Kill != nil && cfg.KillAt > 0 && acked.Load() >= int64(cfg.KillAt) {
			killOnce.Do(func() {
				killWG.Add(1)
				go func() {
					defer killWG.Done()
					at := time.Now()
					kpid, took, err := cfg.Kill()
					if err != nil {
						errs.add("kill: %v", err)
						return
					}
					killedPID.Store(int64(kpid))
					takeover.Store(int64(took))
					killed.Store(at.UnixNano())
					progress("killed the leader (pid %d) after %d acknowledgements", kpid, acked.Load())
				}()
			})
		}
	}
	var facFrames atomic.Int64
	facStop := make(chan struct{})
	var facConn *websocket.Conn
	facDone := make(chan struct{})
	if cfg.Facilitator {
		h := http.Header{}
		h.Set("Authorization", "Bearer "+plan.FacilitatorToken)
		conn, _, err := dialer.DialContext(ctx, wsURL, h)
		if err != nil {
			errs.add("facilitator: connect: %v", err)
			close(facDone)
		} else {
			facConn = conn
			go func() {
				defer close(facDone)
				for {
					typ, _, release, err := readFrame(conn)
					release()
					if err != nil {
						if ctx.Err() == nil {
							select {
							case <-facStop:
							default:
								errs.add("facilitator: read: %v", err)
							}
						}
						return
					}
					if typ == "round.submitted" || typ == "proposal.received" {
						facFrames.Add(1)
					}
				}
			}()
		}
	} else {
		close(facDone)
	}
	t1 := time.Now()
	stop := make(chan struct{})
	live := 0
	for _, c := range clients {
		if c.conn == nil {
			continue
		}
		live++
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.play(ctx, cfg.Rounds, errs, &acked, tick)
			done.Add(1)
		}()
	}
	// Close the connections when the time is up, so that readers end.
	go func() {
		select {
		case <-ctx.Done():
			for _, c := range clients {
				if c.conn != nil {
					c.conn.Close()
				}
			}
		case <-stop:
		}
	}()
	// The facilitator: close a round that makes no progress (a council
	// that died cannot fill it).
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		t := time.NewTicker(cfg.Stall / 5)
		defer t.Stop()
		lastReport := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			progressMu.Lock()
			idle := time.Since(lastProgress)
			progressMu.Unlock()
			if time.Since(lastReport) > 5*time.Second {
				progress("%d acknowledged, %d/%d clients done", acked.Load(), done.Load(), live)
				lastReport = time.Now()
			}
			if idle > cfg.Stall {
				var err error
				for _, b := range bases { // any server that answers
					if err = postJSON(ctx, hc, b.String()+"/api/plans/"+plan.ID+"/rounds/close", plan.FacilitatorToken, nil, http.StatusOK, nil); err == nil {
						break
					}
				}
				if err != nil {
					errs.add("facilitator close: %v", err)
				} else {
					res.ForcedCloses++
				}
				tick()
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-watchDone
	close(facStop)
	if facConn != nil {
		facConn.Close()
	}
	<-facDone
	res.RunSec = time.Since(t1).Seconds()
	killWG.Wait() // the councils may finish before the killed server has
	res.FacilitatorFrames = int(facFrames.Load())
	res.KilledPID, res.TakeoverMs = int(killedPID.Load()), ms(time.Duration(takeover.Load()))
	for i, p := range pids {
		if p <= 0 {
			continue
		}
		hwm := 0.0
		if _, h, err := ProcMemMB(p); err == nil {
			hwm = h
		} else if p != res.KilledPID {
			errs.add("server memory: %v", err)
		}
		if i == 0 || len(pids) == 1 {
			res.ServerRssMB = hwm
		}
		res.ServerRssMB = max(res.ServerRssMB, hwm)
		if len(pids) > 1 {
			res.ServersRssMB = append(res.ServersRssMB, hwm)
		}
	}
	if k := killed.Load(); k > 0 {
		kt := time.Unix(0, k)
		first := time.Time{}
		for _, c := range clients {
			for _, t := range c.closedAt {
				if t.After(kt) && (first.IsZero() || t.Before(first)) {
					first = t
				}
			}
		}
		if !first.IsZero() {
			res.KillToCloseMs = ms(first.Sub(kt))
		}
	}
	for _, c := range clients {
		res.Reconnects += c.reconnects
	}
	for _, c := range clients {
		if c.conn != nil {
			c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			c.conn.Close()
		}
	}
	summarise(res, clients, cfg.Rounds)
	res.Acked = int(acked.Load())
	errs.mu.Lock()
	res.Errors, res.ErrorSamples = errs.n, errs.samples
	errs.mu.Unlock()
	if ctx.Err() != nil && res.ClientsCompleted < res.Connections {
		res.Errors++
		res.ErrorSamples = append(res.ErrorSamples, fmt.Sprintf("timed out after %s with %d of %d clients done", cfg.Timeout, res.ClientsCompleted, res.Connections))
	}
	return res, nil
}

// summarise computes the figures from every client's records.
func summarise(res *Result, clients []*client, rounds int) {
	var acks []float64
	firstSend := map[int]time.Time{}
	lastAck := map[int]time.Time{}
	closed := map[int][]time.Time{}
	for _, c := range clients {
		seen := map[int]bool{}
		for _, a := range c.acks {
			if !seen[a.round] {
				seen[a.round] = true
				res.AckedRounds++
			}
			acks = append(acks, ms(a.at.Sub(a.sent)))
			if f, ok := firstSend[a.round]; !ok || a.sent.Before(f) {
				firstSend[a.round] = a.sent
			}
			if l, ok := lastAck[a.round]; !ok || a.at.After(l) {
				lastAck[a.round] = a.at
			}
		}
		for r, t := range c.closedAt {
			closed[r] = append(closed[r], t)
		}
		res.RejectedProposals += c.rejected
		if c.finished {
			res.ClientsCompleted++
		}
	}
	var window time.Duration
	for r, f := range firstSend {
		window += lastAck[r].Sub(f)
	}
	if window > 0 {
		res.ProposalsPerSec = float64(len(acks)) / window.Seconds()
	}
	res.AckP50Ms, res.AckP99Ms = percentile(acks, 0.50), percentile(acks, 0.99)
	var fan, closeLat []float64
	for r, ts := range closed {
		if len(ts) == 0 {
			continue
		}
		first := ts[0]
		for _, t := range ts {
			if t.Before(first) {
				first = t
			}
		}
		for _, t := range ts {
			d := ms(t.Sub(first))
			fan = append(fan, d)
			res.CloseFanoutMaxMs = max(res.CloseFanoutMaxMs, d)
		}
		if l, ok := lastAck[r]; ok && first.After(l) {
			closeLat = append(closeLat, ms(first.Sub(l)))
		}
		if len(ts) == res.Connections {
			res.RoundsCompleted++
		}
	}
	res.CloseFanoutP50Ms, res.CloseFanoutP99Ms = percentile(fan, 0.50), percentile(fan, 0.99)
	res.RoundCloseP50Ms = percentile(closeLat, 0.50)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile returns the q-quantile of xs (nearest rank), 0 if empty.
func percentile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// newDialer returns a websocket dialer with small buffers. When the server
// is on 127.0.0.1, connections come from 127.0.0.1 to 127.0.0.8 in turn,
// so that tens of thousands of them (and their TIME_WAITs) do not run out
// of ephemeral ports.
func newDialer(host string) *websocket.Dialer {
	var n atomic.Uint32
	nd := &net.Dialer{Timeout: 30 * time.Second}
	spread := host == "127.0.0.1"
	return &websocket.Dialer{
		ReadBufferSize: 4096, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if !spread {
				return nd.DialContext(ctx, network, addr)
			}
			d := *nd
			d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+n.Add(1)%8))}
			return d.DialContext(ctx, network, addr)
		},
	}
}

func postJSON(ctx context.Context, hc *http.Client, u, token string, body []byte, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		return fmt.Errorf("%s: %d %s", u, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}
