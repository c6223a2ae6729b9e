// Package store keeps the live plans in a database: one SQLite file
// (modernc.org/sqlite, no cgo; the default) or a PostgreSQL database (pgx,
// for several servers on one plan; see postgres.go): plans, token hashes,
// rounds, accepted proposals and the audit log. Both engines sit behind
// the one Store type and run the same queries and migrations. One writer goroutine owns the writer connection and commits in
// groups: the writes queued while it committed the last group run in one
// transaction, each under its own savepoint (a write that fails is rolled
// back alone), and one commit, one fsync, makes them all durable. A small
// pool of read-only connections serves reads. A write returns only after
// its group has committed to the write-ahead log with synchronous=FULL, so
// what was acknowledged survives a crash of the process or the machine.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is the database of one server.
type Store struct {
	w  *sql.DB   // the one writer
	r  *sql.DB   // readers
	pg *pgEngine // nil for SQLite

	q          chan *write // to the writer goroutine
	stop       chan struct{}
	stopped    chan struct{}
	closeMu    sync.RWMutex
	closed     bool
	stmts      map[string]*sql.Stmt // the writer's prepared statements, by query
	unprepared map[string]bool      // queries run before they were prepared
	// Groups and Writes count committed groups and the writes in them.
	groups, writes atomic.Int64
}

// write is one queued write transaction body and where its result goes.
type write struct {
	ctx  context.Context
	fn   func(tx *wtx) error
	done chan error
	plan string // PostgreSQL: the plan whose proposals it adds (locked first)
}

// MaxGroup is the most writes committed in one transaction.
const MaxGroup = 1024

// ErrCorrupt is wrapped by the errors of reads whose stored data does not
// decode (a damaged or hand-edited database).
var ErrCorrupt = errors.New("store: stored data does not decode")

// ErrClosed is returned by writes after Close.
var ErrClosed = errors.New("store: closed")

// dsn returns the connection string for path: busy timeout first, then
// WAL, foreign keys and full synchronous commits.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database db names and runs the migrations it has not
// run yet: a postgres:// or postgresql:// URL is a PostgreSQL database
// (OpenPostgres); anything else with a scheme (a "://") is refused, never
// taken for a file name; otherwise db is the path of a SQLite file.
func Open(ctx context.Context, db string) (*Store, error) {
	switch k, err := Engine(db); {
	case err != nil:
		return nil, err
	case k == Postgres:
		return openPostgres(ctx, db)
	}
	return openSQLite(ctx, db)
}

// openSQLite opens (creating it and its directory if needed) the SQLite
// database at path and runs the migrations it has not run yet. The file is created
// readable by its owner only (0600), and so are the -wal and -shm files
// SQLite makes beside it (it gives them the database's mode); an existing
// file readable by others is narrowed to 0600.
func openSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: migrate %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	s.r = r
	s.q, s.stop, s.stopped = make(chan *write, MaxGroup), make(chan struct{}), make(chan struct{})
	go s.writer()
	return s, nil
}

// ownerOnly creates the database file at path with mode 0600 if it does
// not exist, and narrows it and its -wal and -shm files to 0600 if they
// exist with looser modes: the file holds token hashes and every proposal.
func ownerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("store: %w", err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			// A read-only file system keeps its modes; SQLite then
			// reports the database read-only, which the server shows.
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil && !errors.Is(err, syscall.EROFS) {
				return fmt.Errorf("store: %w", err)
			}
		}
	}
	return nil
}

// Close finishes the queued writes and closes the database.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if !s.closed {
		s.closed = true
		close(s.stop)
	}
	s.closeMu.Unlock()
	<-s.stopped
	var perr error
	if s.pg != nil {
		perr = s.pg.close()
	}
	return errors.Join(s.r.Close(), s.w.Close(), perr)
}

// Stats returns how many groups have committed and how many writes they
// held.
func (s *Store) Stats() (groups, writes int64) { return s.groups.Load(), s.writes.Load() }

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.queryRow(ctx, "SELECT 1").Scan(&one)
}

// tx runs fn in a write transaction and returns once it has committed
// (with the other writes of its group) or failed. fn must not keep tx.
func (s *Store) tx(ctx context.Context, fn func(tx *wtx) error) error {
	return s.txPlan(ctx, "", fn)
}

// txPlan is tx for a write that adds proposals to plan (or closes its
// round): on PostgreSQL its group first takes the plan's proposal lock,
// so that a plan's proposals commit in the order of their ids on every
// server (a reader following ids misses none).
func (s *Store) txPlan(ctx context.Context, plan string, fn func(tx *wtx) error) error {
	w := &write{ctx: ctx, fn: fn, done: make(chan error, 1), plan: plan}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	select { // the writer drains the queue before it stops
	case s.q <- w:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	s.closeMu.RUnlock()
	// Once queued, the write's fate is the group's: wait for it even if
	// ctx ends, so that nobody reports a failure that then commits.
	return <-w.done
}

// writer commits the queued writes in groups until Close.
func (s *Store) writer() {
	defer close(s.stopped)
	group := make([]*write, 0, MaxGroup)
	for {
		group = group[:0]
		select {
		case w := <-s.q:
			group = append(group, w)
		case <-s.stop:
			// Finish what is queued, then refuse.
			for {
				select {
				case w := <-s.q:
					s.commit([]*write{w})
				default:
					return
				}
			}
		}
	more:
		for len(group) < MaxGroup {
			select {
			case w := <-s.q:
				group = append(group, w)
			default:
				break more
			}
		}
		s.commit(group)
	}
}

// commit runs a group of writes in one transaction, each under a
// savepoint, and tells each its result once the transaction has committed
// (or failed: then every write that had succeeded gets the commit's error).
func (s *Store) commit(group []*write) {
	ctx := context.Background()
	errs := make([]error, len(group))
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, w := range group {
			w.done <- err
		}
		return
	}
	wt := &wtx{Tx: tx, s: s}
	if s.pg != nil {
		if err := s.pg.lockPlans(ctx, tx, group); err != nil {
			tx.Rollback()
			for _, w := range group {
				w.done <- err
			}
			return
		}
	}
	ok := 0
	for i, w := range group {
		if err := w.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := wt.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			errs[i] = err
			continue
		}
		if err := w.fn(wt); err != nil {
			errs[i] = err
			if _, rerr := wt.ExecContext(ctx, "ROLLBACK TO w"); rerr != nil {
				errs[i] = errors.Join(err, rerr)
			}
		} else {
			ok++
		}
		if _, err := wt.ExecContext(ctx, "RELEASE w"); err != nil && errs[i] == nil {
			errs[i] = err
			ok--
		}
	}
	if s.pg != nil && ok > 0 {
		s.pg.notifyGroup(ctx, wt)
	}
	if cerr := tx.Commit(); cerr != nil {
		tx.Rollback()
		for i := range errs {
			if errs[i] == nil {
				errs[i] = cerr
			}
		}
	} else {
		s.groups.Add(1)
		s.writes.Add(int64(ok))
	}
	for i, w := range group {
		w.done <- errs[i]
	}
	s.prepare()
}

// wtx is a write transaction whose statements are prepared once per
// store (on the one writer connection) and reused: parsing SQL was half
// of the writer's time.
type wtx struct {
	*sql.Tx
	s *Store
	// touched are the plans this group changed (PostgreSQL: one
	// notification a group names them).
	touched map[string]bool
}

// ExecContext runs query with args through the store's prepared
// statement for it, if it has one yet; otherwise directly, and the writer
// prepares it after the commit (the transaction holds the one writer
// connection).
func (t *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = t.s.bind(query)
	if st, ok := t.s.stmts[query]; ok {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	if t.s.unprepared == nil {
		t.s.unprepared = map[string]bool{}
	}
	t.s.unprepared[query] = true
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext is ExecContext for a statement that returns one row
// (an INSERT … RETURNING).
func (t *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query = t.s.bind(query)
	if st, ok := t.s.stmts[query]; ok {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	if t.s.unprepared == nil {
		t.s.unprepared = map[string]bool{}
	}
	t.s.unprepared[query] = true
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// touch notes that the group changed plan id.
func (t *wtx) touch(id string) {
	if t.s.pg == nil {
		return
	}
	if t.touched == nil {
		t.touched = map[string]bool{}
	}
	t.touched[id] = true
}

// prepare prepares the statements transactions ran unprepared (only the
// writer goroutine calls it, between transactions).
func (s *Store) prepare() {
	for q := range s.unprepared {
		if st, err := s.w.Prepare(q); err == nil {
			if s.stmts == nil {
				s.stmts = map[string]*sql.Stmt{}
			}
			s.stmts[q] = st
		}
		delete(s.unprepared, q)
	}
}

// migrate runs the embedded migrations in name order, each once, on one
// connection of the writer (PostgreSQL: holding the migration advisory
// lock, so that servers starting at the same moment run them once).
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.pg != nil {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	ddl := func(q string) string {
		if s.pg != nil {
			return pgDDL(q)
		}
		return q
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, ddl(healthTable)); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		name := strings.TrimPrefix(n, "migrations/")
		body, err := migrations.ReadFile(n)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		err = func() error {
			var done int
			if err := tx.QueryRowContext(ctx, s.bind(`SELECT count(*) FROM schema_migrations WHERE name = ?`), name).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, ddl(string(body))); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			_, err := tx.ExecContext(ctx, s.bind(`INSERT INTO schema_migrations (name) VALUES (?)`), name)
			return err
		}()
		if err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Degrade sets a limit on the writer connection, to drill what clients
// see when the database fails: "query_only=1" refuses every write as a
// read-only database would, "max_page_count=N" caps the file at N pages
// (a full disk once it is reached); "query_only=0" and a larger
// max_page_count lift them. Nothing else is accepted. On PostgreSQL only
// query_only is, as the writer session's default_transaction_read_only.
func (s *Store) Degrade(ctx context.Context, pragma string) error {
	name, val, ok := strings.Cut(pragma, "=")
	n, err := strconv.ParseInt(val, 10, 64)
	if !ok || err != nil || n < 0 || (name != "query_only" && name != "max_page_count") || (name == "query_only" && n > 1) {
		return fmt.Errorf("store: Degrade(%q): want query_only=0|1 or max_page_count=N", pragma)
	}
	if s.pg != nil {
		if name != "query_only" {
			return fmt.Errorf("store: Degrade(%q): PostgreSQL has no page cap", pragma)
		}
		_, err = s.w.ExecContext(ctx, "SET default_transaction_read_only = "+map[int64]string{0: "off", 1: "on"}[n])
		return err
	}
	_, err = s.w.ExecContext(ctx, "PRAGMA "+name+" = "+strconv.FormatInt(n, 10))
	return err
}

// PageCount returns the number of pages of the database, as the writer
// sees it.
func (s *Store) PageCount(ctx context.Context) (int64, error) {
	if s.pg != nil {
		return 0, errors.New("store: PageCount: PostgreSQL has no page cap")
	}
	var n int64
	err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&n)
	return n, err
}
