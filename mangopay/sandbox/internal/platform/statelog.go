package platform

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// The state log. With Config.StateDir the API keeps an append-only JSON
// Lines file, StateDir/state.jsonl, one {"k":kind,"id":id,"v":object} line
// per change of an object. Every Save is written at once (under the lock, so
// lines keep the order of the changes); Commit, which every change runs in
// (a handler's too), fsyncs after releasing the lock and before the caller
// answers, and concurrent commits share one fsync (group commit). A request
// therefore costs only its own lines. At
// startup the log is replayed (the last line of a (kind, id) wins, in the
// order of first appearance) and rewritten compacted through a temporary
// file and a rename.

const (
	stateFile = "state.jsonl"
	kindClock = "sandbox.clock"
)

// logRecord is one line of the state log.
type logRecord struct {
	K  string          `json:"k"`
	ID string          `json:"id"`
	V  json.RawMessage `json:"v"`
}

// stateLog is the open state log.
type stateLog struct {
	dir     string
	f       *os.File
	written atomic.Uint64 // lines written; incremented under Config.Lock
	failed  atomic.Bool   // set once werr is set
	werr    error         // first write error; written under Config.Lock before failed is set
	syncMu  sync.Mutex    // serializes fsyncs
	synced  uint64        // lines known durable; guarded by syncMu
}

// readLog returns the latest record of every (kind, id) in order of first
// appearance. A torn last line (a crash mid-write) is ignored.
func readLog(path string) ([]logRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []logRecord
	pos := map[string]int{}
	br := bufio.NewReaderSize(f, 1<<16)
	for lineNo := 1; ; lineNo++ {
		line, rerr := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec logRecord
			if err := json.Unmarshal(line, &rec); err != nil {
				if rerr == io.EOF {
					break
				}
				return nil, fmt.Errorf("%s:%d: %w", path, lineNo, err)
			}
			key := rec.K + "\x00" + rec.ID
			if i, ok := pos[key]; ok {
				recs[i] = rec
			} else {
				pos[key] = len(recs)
				recs = append(recs, rec)
			}
		}
		if rerr == io.EOF {
			return recs, nil
		}
		if rerr != nil {
			return nil, rerr
		}
	}
	return recs, nil
}

// openLog replays the state log of dir and opens it compacted.
func (a *API) openLog(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, stateFile)
	recs, err := readLog(path)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := a.restoreRecord(rec.K, rec.ID, rec.V); err != nil {
			return fmt.Errorf("restore %s %s: %w", rec.K, rec.ID, err)
		}
	}
	now := a.Now()
	kept := recs[:0]
	for _, rec := range recs {
		if rec.K == kindIdem && a.idemLookup(rec.ID, now) == nil {
			continue
		}
		kept = append(kept, rec)
	}
	l, err := compact(dir, kept)
	if err != nil {
		return err
	}
	a.log = l
	return nil
}

// restoreRecord rebuilds one persisted record: the API's own kinds here,
// every resource kind through Config.Restore.
func (a *API) restoreRecord(kind, id string, raw json.RawMessage) error {
	switch kind {
	case kindIdem:
		var rec idemRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		a.idem[id] = &rec
	case kindClock:
		var off int64
		if err := json.Unmarshal(raw, &off); err != nil {
			return err
		}
		a.offset.Store(off)
	default:
		return a.cfg.Restore(kind, id, raw)
	}
	return nil
}

// compact writes recs to a fresh log, renames it over the old one and
// opens it for appending.
func compact(dir string, recs []logRecord) (*stateLog, error) {
	path := filepath.Join(dir, stateFile)
	tmp, err := os.CreateTemp(dir, stateFile+".*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<16)
	enc := json.NewEncoder(bw)
	for _, rec := range recs {
		if err := enc.Encode(rec); err != nil {
			tmp.Close()
			return nil, err
		}
	}
	if err := errors.Join(bw.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	syncDir(dir)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &stateLog{dir: dir, f: f}, nil
}

// syncDir makes a rename durable; failures are ignored (some file systems
// cannot fsync directories, and the rename itself succeeded).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Commit is the one way the state changes (the pipeline runs every handler
// in one): with the lock held it runs the due asynchronous work
// (Config.Advance) and then change, whose Saves are written to the state
// log; after releasing the lock it makes them durable. A non-nil error
// means they may not be: the caller answers with a failure. change must not
// block.
func (a *API) Commit(change func(now time.Time)) error {
	return a.log.sync(a.locked(change))
}

// locked is Commit's part under the lock; it returns the log position to
// sync.
func (a *API) locked(change func(now time.Time)) uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.Now()
	a.cfg.Advance(now)
	change(now)
	return a.log.position()
}

// Save records a change of an object in the state log: call it, with the
// lock held (in a handler or inside Commit), after every change. It is a
// no-op without StateDir. The line is written at once and made durable by
// the Commit around it.
func (a *API) Save(kind, id string, v any) {
	l := a.log
	if l == nil {
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: save %s %s: %v", kind, id, err))
	}
	line, err := json.Marshal(logRecord{K: kind, ID: id, V: raw})
	if err != nil {
		panic(fmt.Sprintf("sandbox: save %s %s: %v", kind, id, err))
	}
	if _, err := l.f.Write(append(line, '\n')); err != nil && !l.failed.Load() {
		l.werr = fmt.Errorf("sandbox: write state log: %w", err)
		l.failed.Store(true)
	}
	l.written.Add(1)
}

// position is the number of lines written so far (0 for a nil log).
func (l *stateLog) position() uint64 {
	if l == nil {
		return 0
	}
	return l.written.Load()
}

// sync makes every line up to pos durable. Concurrent callers share fsyncs:
// whoever syncs covers every line written before it started.
func (l *stateLog) sync(pos uint64) error {
	if l == nil || pos == 0 {
		return nil
	}
	if l.failed.Load() {
		return l.werr
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	if l.synced >= pos {
		return nil
	}
	target := l.written.Load()
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("sandbox: sync state log: %w", err)
	}
	l.synced = target
	return nil
}

// close syncs and closes the log. Called with the lock held.
func (l *stateLog) close() error {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	return errors.Join(l.f.Sync(), l.f.Close())
}
