package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
)

// Kind is a database engine.
type Kind int

// The engines.
const (
	// SQLite is one file, the default: a path.
	SQLite Kind = iota
	// Postgres is a PostgreSQL database: a postgres:// URL.
	Postgres
)

// Engine says which engine db names: a postgres:// or postgresql:// URL is
// PostgreSQL; any other string with a scheme ("name://") is an error, so
// that a mistyped URL is never created as a file; anything else is the
// path of a SQLite file.
func Engine(db string) (Kind, error) {
	if db == "" {
		return SQLite, fmt.Errorf("store: no database given")
	}
	scheme, _, ok := strings.Cut(db, "://")
	if !ok {
		return SQLite, nil
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return Postgres, nil
	}
	return SQLite, fmt.Errorf("store: database %q: only postgres:// URLs or file paths are accepted", Redact(db))
}

// Redact returns db with a URL's password hidden, for logs and errors.
func Redact(db string) string {
	if at := strings.LastIndex(db, "@"); at > 0 {
		if i := strings.Index(db, "://"); i >= 0 && i < at {
			if c := strings.Index(db[i+3:at], ":"); c >= 0 {
				return db[:i+3+c] + ":***" + db[at:]
			}
		}
	}
	return db
}

// Channel is the LISTEN/NOTIFY channel each commit group notifies on: its
// payload is the ids of the plans the group changed, comma-separated ("*"
// when they do not fit in one notification).
const Channel = "parecon"

// ConnectWait is how long Open waits for an unreachable PostgreSQL server.
var ConnectWait = 30 * time.Second

// migrationLock is the advisory lock key held while migrations run.
const migrationLock int64 = 0x70617265636f6e // "parecon"

// pgEngine is what a PostgreSQL store holds beside its pools.
type pgEngine struct {
	dsn   string
	binds sync.Map // query with ? → query with $n
	// hook, if set, runs after each committed group (tests).
	mu      sync.Mutex
	closers []func() error
}

func (e *pgEngine) close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	for _, c := range e.closers {
		if cerr := c(); cerr != nil && err == nil {
			err = cerr
		}
	}
	e.closers = nil
	return err
}

// openPostgres connects to the PostgreSQL database at dsn (a URL) and runs
// the migrations it has not run yet, under an advisory lock: servers
// starting together run each once. Writes go through one connection, in
// groups, as with SQLite; reads through a pool.
func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", Redact(dsn), err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	s := &Store{w: w, pg: &pgEngine{dsn: dsn}}
	// A server may start before its database is up: it waits for it,
	// up to ConnectWait, as long as it is merely unreachable.
	for end := time.Now().Add(ConnectWait); ; {
		err := w.PingContext(ctx)
		if err == nil {
			break
		}
		if ClassOf(err) != Down || time.Now().After(end) {
			w.Close()
			return nil, fmt.Errorf("store: connecting to %s: %w", Redact(dsn), err)
		}
		select {
		case <-ctx.Done():
			w.Close()
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: migrate %s: %w", Redact(dsn), err)
	}
	r, err := sql.Open("pgx", readOnlyDSN(dsn))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s.r = r
	s.q, s.stop, s.stopped = make(chan *write, MaxGroup), make(chan struct{}), make(chan struct{})
	go s.writer()
	return s, nil
}

// readOnlyDSN is dsn for the readers: their sessions refuse writes, as
// SQLite's query-only readers do.
func readOnlyDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sql.Open reports it
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	return u.String()
}

// Engine returns the store's engine.
func (s *Store) Engine() Kind {
	if s.pg != nil {
		return Postgres
	}
	return SQLite
}

// DSN returns the PostgreSQL URL the store was opened with ("" for
// SQLite), for the connections that listen and hold locks.
func (s *Store) DSN() string {
	if s.pg == nil {
		return ""
	}
	return s.pg.dsn
}

// bind returns query with its ? placeholders numbered ($1, $2, …) for
// PostgreSQL; unchanged for SQLite. The queries hold no ? in literals.
func (s *Store) bind(query string) string {
	if s.pg == nil {
		return query
	}
	if q, ok := s.pg.binds.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	s.pg.binds.Store(query, b.String())
	return b.String()
}

// query runs a read through the reader pool.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.r.QueryContext(ctx, s.bind(query), args...)
}

// queryRow runs a one-row read through the reader pool.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.r.QueryRowContext(ctx, s.bind(query), args...)
}

// The rewrites that turn the migrations (written for SQLite) into
// PostgreSQL's dialect, in order: one set of migrations serves both.
var pgRewrites = []struct {
	re  *regexp.Regexp
	out string
}{
	{regexp.MustCompile(`(?i)\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b`), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
	{regexp.MustCompile(`(?i)\bINTEGER\b`), "BIGINT"},
	{regexp.MustCompile(`(?i)\bBLOB\b`), "BYTEA"},
	{regexp.MustCompile(`(?i)\)\s*WITHOUT\s+ROWID`), ")"},
}

// pgDDL translates SQLite DDL to PostgreSQL's: integers are 64-bit,
// blobs are bytea, AUTOINCREMENT is an identity, WITHOUT ROWID goes.
func pgDDL(q string) string {
	for _, r := range pgRewrites {
		q = r.re.ReplaceAllString(q, r.out)
	}
	return q
}

// lockPlans takes, in the group's transaction, the proposal lock of each
// plan the group adds proposals to, in one order on every server (so two
// groups never wait for each other in a cycle).
func (e *pgEngine) lockPlans(ctx context.Context, tx *sql.Tx, group []*write) error {
	var plans []string
	seen := map[string]bool{}
	for _, w := range group {
		if w.plan != "" && !seen[w.plan] {
			seen[w.plan] = true
			plans = append(plans, w.plan)
		}
	}
	if len(plans) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, h) FROM (SELECT DISTINCT hashtext(x) AS h FROM unnest($2::text[]) AS x) AS t ORDER BY h`, ProposalLock, plans)
	return err
}

// The first keys of the advisory locks (the second is hashtext(plan id)):
// LeaderLock is held by the server running a plan's engine for as long as
// it does (pg_locks shows it: locktype advisory, classid LeaderLock,
// objid the plan's hash); ProposalLock by a transaction adding proposals to
// the plan, until it commits.
const (
	LeaderLock   int32 = 0x70617263 // "parc"
	ProposalLock int32 = 0x70617270 // "parp"
)

// maxPayload is under PostgreSQL's 8000-byte limit on a notification.
const maxPayload = 7900

// notifyGroup queues, in the group's transaction, one notification naming
// the plans the group changed: PostgreSQL delivers it when (and only if)
// the group commits, after the commit, to every server that listens.
func (e *pgEngine) notifyGroup(ctx context.Context, t *wtx) {
	if len(t.touched) == 0 {
		return
	}
	ids := make([]string, 0, len(t.touched))
	for id := range t.touched {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	payload := strings.Join(ids, ",")
	if len(payload) > maxPayload {
		payload = "*"
	}
	// A failure here fails the commit, as any statement of the group would.
	t.Tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, Channel, payload)
	t.touched = nil
}

// Notify sends payload on a LISTEN/NOTIFY channel (PostgreSQL only),
// through the writer, with the other writes of its group.
func (s *Store) Notify(ctx context.Context, channel, payload string) error {
	if s.pg == nil {
		return fmt.Errorf("store: Notify: SQLite has no notifications")
	}
	return s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, channel, payload)
		return err
	})
}
