package sandbox

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

// Persistence. With Options.StateDir the sandbox keeps an append-only JSON
// Lines log, StateDir/state.jsonl, one {"k":kind,"id":id,"v":object} line per
// change of an object. Every save is written at once (under s.mu, so lines
// keep the order of the changes); the API pipeline fsyncs after releasing
// s.mu and before answering, and concurrent requests share one fsync (group
// commit). Writes made outside the API pipeline (tokenization, 3DS page) are
// synced by a background loop within syncEvery. A request therefore costs
// only its own lines. At startup the log is replayed (the last line of a
// (kind, id) wins, in the order of first appearance) and rewritten compacted
// through a temporary file and a rename.

const (
	stateFile = "state.jsonl"
	syncEvery = 100 * time.Millisecond
	kindClock = "sandbox.clock"
)

// logRecord is one line of the state log.
type logRecord struct {
	K  string          `json:"k"`
	ID string          `json:"id"`
	V  json.RawMessage `json:"v"`
}

// journal is the open state log.
type journal struct {
	dir     string
	f       *os.File
	written atomic.Uint64 // lines written; incremented under Server.mu
	failed  atomic.Bool   // set once werr is set
	werr    error         // first write error; written under Server.mu before failed is set
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

// loadState replays StateDir into s and opens the compacted log.
func (s *Server) loadState(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, stateFile)
	recs, err := readLog(path)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := s.restoreRecord(rec.K, rec.ID, rec.V); err != nil {
			return fmt.Errorf("restore %s %s: %w", rec.K, rec.ID, err)
		}
	}
	now := s.now()
	kept := recs[:0]
	for _, rec := range recs {
		if rec.K == kindIdem && s.idemLookup(rec.ID, now) == nil {
			continue
		}
		kept = append(kept, rec)
	}
	j, err := compact(dir, kept)
	if err != nil {
		return err
	}
	s.journal = j
	return nil
}

// restoreRecord rebuilds one persisted record: the platform's own kinds
// here, every resource kind through state.restore.
func (s *Server) restoreRecord(kind, id string, raw json.RawMessage) error {
	switch kind {
	case kindIdem:
		var rec idemRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		s.idem[id] = &rec
	case kindClock:
		var off int64
		if err := json.Unmarshal(raw, &off); err != nil {
			return err
		}
		s.offset.Store(off)
	default:
		return s.st.restore(kind, id, raw)
	}
	return nil
}

// compact writes recs to a fresh log, renames it over the old one and
// opens it for appending.
func compact(dir string, recs []logRecord) (*journal, error) {
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
	return &journal{dir: dir, f: f}, nil
}

// syncDir makes a rename durable; failures are ignored (some file systems
// cannot fsync directories, and the rename itself succeeded).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// save makes a change of an object durable: resource handlers call it, with
// s.mu held, after every change. It is a no-op without StateDir. The line is
// written at once; the API pipeline fsyncs before answering.
func (s *Server) save(kind, id string, v any) {
	j := s.journal
	if j == nil {
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
	if _, err := j.f.Write(append(line, '\n')); err != nil && !j.failed.Load() {
		j.werr = fmt.Errorf("sandbox: write state log: %w", err)
		j.failed.Store(true)
	}
	j.written.Add(1)
}

// journalPos is the number of lines written so far (0 without StateDir).
func (s *Server) journalPos() uint64 {
	if s.journal == nil {
		return 0
	}
	return s.journal.written.Load()
}

// syncJournal makes every line up to pos durable. Concurrent callers share
// fsyncs: whoever syncs covers every line written before it started.
func (s *Server) syncJournal(pos uint64) error {
	j := s.journal
	if j == nil || pos == 0 {
		return nil
	}
	if j.failed.Load() {
		return j.werr
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	if j.synced >= pos {
		return nil
	}
	target := j.written.Load()
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sandbox: sync state log: %w", err)
	}
	j.synced = target
	return nil
}

// syncLoop syncs writes made outside the API pipeline.
func (s *Server) syncLoop(stop <-chan struct{}) {
	defer s.workers.Done()
	t := time.NewTicker(syncEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			_ = s.syncJournal(s.journalPos())
		}
	}
}

// close syncs and closes the log. Called with s.mu held.
func (j *journal) close() error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	return errors.Join(j.f.Sync(), j.f.Close())
}
