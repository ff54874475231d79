package executor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"settle/internal/flock"
	"settle/internal/mask"
)

// ErrLocked is returned (wrapped) by [OpenJournal] when another process
// holds the journal's lock.
var ErrLocked = flock.ErrLocked

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

	mu      sync.Mutex // guards f and written
	f       *os.File
	written uint64 // records written

	syncMu sync.Mutex // serialises fsyncs; guards synced
	synced uint64     // records known to be on disk
}

// OpenJournal opens (creating it and its folder) the journal at path for
// appending, mode 0600, and takes the flock on "<path>.lock" for the life
// of the process. If another run holds the lock it fails at once with an
// error wrapping [ErrLocked]. A torn last line (a crash in the middle of a
// write, never fsynced, so never acted upon) is cut off.
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
	if err := f.Chmod(0o600); err == nil {
		err = cutTornTail(f)
	}
	if err != nil {
		f.Close()
		flock.Unlock(lock)
		return nil, fmt.Errorf("executor: journal %s: %w", path, err)
	}
	return &Journal{path: path, f: f, lock: lock}, nil
}

// cutTornTail truncates f after its last newline.
func cutTornTail(f *os.File) error {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<62))
	if err != nil || len(data) == 0 || data[len(data)-1] == '\n' {
		return err
	}
	keep := bytes.LastIndexByte(data, '\n') + 1
	if err := f.Truncate(int64(keep)); err != nil {
		return err
	}
	return f.Sync()
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

// Append masks r, fills TS when empty, writes it as one JSON line and
// fsyncs the file (with every record written before it).
func (j *Journal) Append(r Record) error {
	n, err := j.write(r)
	if err != nil {
		return err
	}
	return j.syncTo(n)
}

// appendLazy writes r without waiting for an fsync (see [Journal]).
func (j *Journal) appendLazy(r Record) error {
	_, err := j.write(r)
	return err
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
	if _, err := j.f.Write(line); err != nil {
		return 0, fmt.Errorf("executor: write journal: %w", err)
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
		return fmt.Errorf("executor: sync journal: %w", err)
	}
	j.synced = upto
	return nil
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
	if cerr := j.f.Close(); err == nil {
		err = cerr
	}
	j.f = nil
	if uerr := flock.Unlock(j.lock); err == nil {
		err = uerr
	}
	return err
}

// ReadJournal reads every record of the journal at path. A missing file
// is an empty journal. A torn last line (a run killed while writing) is
// ignored; a malformed line elsewhere is an error naming its line.
func ReadJournal(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("executor: read journal: %w", err)
	}
	lines := bytes.Split(data, []byte("\n"))
	last := len(lines) - 1
	for last >= 0 && len(bytes.TrimSpace(lines[last])) == 0 {
		last--
	}
	var out []Record
	for i := 0; i <= last; i++ {
		line := bytes.TrimSpace(lines[i])
		if len(line) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil {
			if i == last {
				break // torn by a crash mid-write
			}
			return nil, fmt.Errorf("executor: %s:%d: malformed journal record: %w", path, i+1, err)
		}
		out = append(out, r)
	}
	return out, nil
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

var (
	ibanRE = regexp.MustCompile(`\b[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}\b`)
	panRE  = regexp.MustCompile(`\b[0-9]{13,19}\b`)
)

// MaskIBAN keeps an IBAN's first four and last four characters:
// FR7630004000031234567890143 becomes FR76*******************0143.
func MaskIBAN(iban string) string { return mask.IBAN(iban) }

// maskText masks every IBAN and every card-number-like digit run in s.
func maskText(s string) string {
	if s == "" {
		return s
	}
	s = ibanRE.ReplaceAllStringFunc(s, MaskIBAN)
	return panRE.ReplaceAllStringFunc(s, func(d string) string {
		return d[:6] + strings.Repeat("X", len(d)-10) + d[len(d)-4:]
	})
}

// masked returns r with IBANs and card numbers masked in its free text.
func (r Record) masked() Record {
	r.ResultMessage = maskText(r.ResultMessage)
	r.Error = maskText(r.Error)
	r.Status = maskText(r.Status)
	return r
}
