package executor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"settle/internal/flock"
)

// ErrLocked is returned (wrapped) by [OpenJournal] when another process
// holds the journal's lock.
var ErrLocked = flock.ErrLocked

// ErrJournal is wrapped by every error writing or syncing the journal (a
// full disk, an I/O error). Such an error stops [Apply], which returns it
// with a [Summary] whose in-doubt count includes every step whose outcome
// the journal may not hold.
var ErrJournal = errors.New("journal write failed")

// journalFile is what a [Journal] writes to: the open file, or in tests a
// file that fails on demand.
type journalFile interface {
	io.Writer
	Sync() error
	Close() error
}

// wrapJournalFile lets tests inject write and sync failures.
var wrapJournalFile = func(f *os.File) journalFile { return f }

// Record is one line of the journal: one state change of one step
// (DESIGN §7). Records never hold secrets or card numbers, and IBANs in
// any field are masked by [Journal.Append].
type Record struct {
	TS             string `json:"ts"` // RFC 3339, UTC, nanoseconds
	Run            string `json:"run"`
	Step           string `json:"step"`
	Kind           string `json:"kind"`
	Campaign       string `json:"campaign,omitempty"`
	Action         string `json:"action"`
	State          string `json:"state"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	ID             string `json:"id,omitempty"`
	Status         string `json:"status,omitempty"`
	ResultCode     string `json:"result_code,omitempty"`
	ResultMessage  string `json:"result_message,omitempty"`
	Amount         int64  `json:"amount,omitempty"`
	Fees           *int64 `json:"fees,omitempty"` // nil in journals written before fees were journalled
	Currency       string `json:"currency,omitempty"`
	Error          string `json:"error,omitempty"`
}

// Journal is an open, locked journal file, safe for concurrent use.
//
// [Journal.Append] writes a record and fsyncs it before returning;
// concurrent appenders share fsyncs (group commit). The executor appends
// each step's "started" record that way, before the request. Outcome
// records are written with appendLazy and reach the disk with the next
// fsync (the next "started" record of any step, or Close): an outcome lost
// to a crash leaves its step "started", which the next run treats as in
// doubt and resolves with MANGOPAY (Tag search, then the same key), so
// every record is on disk before the next state change of its step.
type Journal struct {
	path string
	lock *os.File

	// repaired says what OpenJournal cut from a damaged tail ("" if nothing).
	repaired string

	mu      sync.Mutex // guards f, written and broken
	f       journalFile
	written uint64 // records written
	// broken is the first failed write: no record follows it, so that a
	// line a failed write left torn stays the last one (cut on reopening).
	broken error

	syncMu sync.Mutex // serialises fsyncs; guards synced
	synced uint64     // records known to be on disk
}

// OpenJournal opens (creating it and its folder) the journal at path for
// appending, mode 0600, and takes the flock on "<path>.lock" for the life
// of the process. If another run holds the lock it fails at once with an
// error wrapping [ErrLocked]. A damaged last line (torn by a crash in the
// middle of a write, so never fsynced and never acted upon; or garbage a
// crash left after the last record) is cut off, whether or not it ends in
// a newline; [Journal.Repaired] says so, for a warning.
func OpenJournal(path string) (*Journal, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("executor: journal folder: %w", err)
	}
	lock, err := flock.Lock(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("executor: journal: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		flock.Unlock(lock)
		return nil, fmt.Errorf("executor: open journal: %w", err)
	}
	repaired := ""
	if err := f.Chmod(0o600); err == nil {
		repaired, err = cutDamagedTail(f)
	}
	if err != nil {
		f.Close()
		flock.Unlock(lock)
		return nil, fmt.Errorf("executor: journal %s: %w", path, err)
	}
	return &Journal{path: path, f: wrapJournalFile(f), lock: lock, repaired: repaired}, nil
}

// cutDamagedTail truncates f before its damaged last line, if any, and
// describes what it cut.
func cutDamagedTail(f *os.File) (string, error) {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<62))
	if err != nil {
		return "", err
	}
	keep, line := damagedTail(data)
	if keep < 0 {
		return "", nil
	}
	if err := f.Truncate(int64(keep)); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return fmt.Sprintf("line %d was damaged (%d bytes cut): %q", line, len(data)-keep, clip(data[keep:], 60)), nil
}

// damagedTail returns the offset where a journal's damaged tail starts
// and its line number, or -1: the tail after the last newline (a torn
// write), or a last non-blank line that is not a record, with whatever
// blank lines follow it.
func damagedTail(data []byte) (keep, line int) {
	end := len(bytes.TrimRight(data, " \t\r\n"))
	if end == 0 {
		return -1, 0
	}
	start := bytes.LastIndexByte(data[:end], '\n') + 1
	var r Record
	if end < len(data) && json.Unmarshal(data[start:end], &r) == nil {
		return -1, 0 // a whole last record, newline included
	}
	return start, bytes.Count(data[:start], []byte("\n")) + 1
}

// clip shortens b to at most n bytes, for messages.
func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// Repaired says what [OpenJournal] cut from a damaged tail, "" if nothing.
func (j *Journal) Repaired() string { return j.repaired }

// Synced returns the number of records known to be on disk; with
// [Journal.Written], it tells which records a failed sync may have lost.
func (j *Journal) Synced() uint64 {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	return j.synced
}

// Append masks r, fills TS when empty, writes it as one JSON line and
// fsyncs the file (with every record written before it).
func (j *Journal) Append(r Record) error {
	n, err := j.write(r)
	if err != nil {
		return err
	}
	return j.syncTo(n)
}

// appendLazy writes r without waiting for an fsync (see [Journal]) and
// returns its sequence number: the record is on disk once [Journal.Synced]
// reaches it.
func (j *Journal) appendLazy(r Record) (uint64, error) {
	return j.write(r)
}

// write masks and writes one record and returns its sequence number.
func (j *Journal) write(r Record) (uint64, error) {
	if r.TS == "" {
		r.TS = time.Now().UTC().Format(time.RFC3339Nano)
	}
	r = r.masked()
	line, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("executor: journal record: %w", err)
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return 0, fmt.Errorf("executor: journal %s is closed", j.path)
	}
	if j.broken != nil {
		return 0, j.broken
	}
	if _, err := j.f.Write(line); err != nil {
		j.broken = fmt.Errorf("executor: %w: %s: %w", ErrJournal, j.path, err)
		return 0, j.broken
	}
	j.written++
	return j.written, nil
}

// syncTo makes sure record n is on disk: one fsync covers every record
// written before it started, so concurrent appenders share them.
func (j *Journal) syncTo(n uint64) error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= n {
		return nil
	}
	j.mu.Lock()
	upto, f := j.written, j.f
	j.mu.Unlock()
	if f == nil {
		return fmt.Errorf("executor: journal %s is closed", j.path)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("executor: %w: sync %s: %w", ErrJournal, j.path, err)
	}
	j.synced = upto
	return nil
}

// Sync makes sure every record written so far is on disk.
func (j *Journal) Sync() error {
	j.mu.Lock()
	n := j.written
	j.mu.Unlock()
	return j.syncTo(n)
}

// Close syncs and closes the file and releases the lock. It is safe to
// call twice.
func (j *Journal) Close() error {
	j.mu.Lock()
	n, open := j.written, j.f != nil
	j.mu.Unlock()
	if !open {
		return nil
	}
	err := j.syncTo(n)
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return err
	}
	if cerr := j.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("executor: %w: close %s: %w", ErrJournal, j.path, cerr)
	}
	j.f = nil
	if uerr := flock.Unlock(j.lock); err == nil {
		err = uerr
	}
	return err
}

// ReadJournal reads every record of the journal at path. A missing file
// is an empty journal. A damaged last line (see [OpenJournal]) is
// ignored; a malformed line elsewhere is an error naming its line.
func ReadJournal(path string) ([]Record, error) {
	recs, _, err := readJournal(path)
	return recs, err
}

// readJournal is [ReadJournal], which also returns the number of the
// damaged last line it ignored (0 if none).
func readJournal(path string) (recs []Record, damaged int, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("executor: read journal: %w", err)
	}
	if keep, line := damagedTail(data); keep >= 0 {
		data, damaged = data[:keep], line // cut by the next OpenJournal
	}
	var out []Record
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, 0, fmt.Errorf("executor: %s:%d: malformed journal record: %w", path, i+1, err)
		}
		out = append(out, r)
	}
	return out, damaged, nil
}

// StepHistory is what the journal says about one step, folded over every
// run: its latest record and the facts the executor needs to resume.
type StepHistory struct {
	// Last is the step's latest record.
	Last Record
	// ID is the last MANGOPAY Id recorded for the step ("" if none).
	ID string
	// Key is the idempotency key of the latest write attempt.
	Key string
	// Failures counts definitive failures of write attempts (a FAILED
	// transaction, a REFUSED document or a final 4xx). It is only a hint
	// (see attempt.refusedBefore): the key generation comes from MANGOPAY,
	// never from the journal (see applier.generation).
	Failures int
}

// InDoubt reports whether the step's latest write has no known outcome.
func (h *StepHistory) InDoubt() bool {
	return h.Last.State == StateStarted || h.Last.State == StateInDoubt
}

// Fold folds records, in journal order, into each step's history.
func Fold(records []Record) map[string]*StepHistory {
	out := map[string]*StepHistory{}
	for _, r := range records {
		h := out[r.Step]
		if h == nil {
			h = &StepHistory{}
			out[r.Step] = h
		}
		h.Last = r
		if r.ID != "" {
			h.ID = r.ID
		}
		if r.IdempotencyKey != "" {
			h.Key = r.IdempotencyKey
		}
		if r.State == StateFailed && r.IdempotencyKey != "" {
			h.Failures++
		}
	}
	return out
}

// Latest returns each step's latest record, in journal order of first
// appearance; it is what `settle report` needs.
func Latest(records []Record) []Record {
	idx := map[string]int{}
	var out []Record
	for _, r := range records {
		if i, ok := idx[r.Step]; ok {
			out[i] = r
			continue
		}
		idx[r.Step] = len(out)
		out = append(out, r)
	}
	return out
}
