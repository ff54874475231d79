package executor

import (
	"os"
	"sync"
	"syscall"
)

// FailJournal makes the journals opened until restore is called fail like
// a full disk after records good writes: the next write stores half of its
// line and fails with ENOSPC, and so does every later write; with
// syncToo, every sync from then on fails as well.
func FailJournal(records int, syncToo bool) (restore func()) {
	prev := wrapJournalFile
	wrapJournalFile = func(f *os.File) journalFile {
		return &fullDisk{File: f, left: records, syncToo: syncToo}
	}
	return func() { wrapJournalFile = prev }
}

// fullDisk is a journal file that runs out of space.
type fullDisk struct {
	*os.File
	mu      sync.Mutex // guards left and full
	left    int
	full    bool
	syncToo bool
}

func (d *fullDisk) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.left > 0 {
		d.left--
		return d.File.Write(p)
	}
	if d.full {
		return 0, syscall.ENOSPC
	}
	d.full = true
	n, _ := d.File.Write(p[:len(p)/2])
	return n, syscall.ENOSPC
}

func (d *fullDisk) Sync() error {
	d.mu.Lock()
	full := d.full
	d.mu.Unlock()
	if full && d.syncToo {
		return syscall.EIO
	}
	return d.File.Sync()
}
