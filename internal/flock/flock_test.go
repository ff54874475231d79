//go:build unix

package flock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	f, err := Lock(path)
	if err != nil {
		t.Fatalf("Lock() error = %v", err)
	}
	// flock locks belong to the open file description: a second open in
	// the same process conflicts like another process would.
	if _, err := Lock(path); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Errorf("second Lock() error = %v, want ErrLocked naming %s", err, path)
	}
	if err := Unlock(f); err != nil {
		t.Fatalf("Unlock() error = %v", err)
	}
	g, err := Lock(path)
	if err != nil {
		t.Fatalf("Lock() after Unlock() error = %v", err)
	}
	if err := Unlock(g); err != nil {
		t.Fatalf("Unlock() error = %v", err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
}

// TestHolder: the lock file records its holder, which the refusal names
// and Release checks: a live holder on this host keeps its lock unless
// forced; a free lock is removed.
func TestHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	f, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	h, err := ReadHolder(path)
	if err != nil || h.PID != os.Getpid() || h.Host != host || h.Started.IsZero() || h.Command == "" {
		t.Errorf("ReadHolder() = %+v, %v; want this process", h, err)
	}
	var held *HeldError
	if _, err := Lock(path); !errors.As(err, &held) || held.Holder.PID != os.Getpid() ||
		!strings.Contains(err.Error(), fmt.Sprintf("PID %d on host %s", os.Getpid(), host)) {
		t.Errorf("second Lock() error = %v, want a HeldError naming this process", err)
	}
	if got, err := Release(path, false); !errors.Is(err, ErrHolderAlive) || got.PID != os.Getpid() {
		t.Errorf("Release(live holder) = %+v, %v; want ErrHolderAlive", got, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the live holder's lock was removed: %v", err)
	}
	if _, err := Release(path, true); err != nil {
		t.Errorf("Release(force) error = %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file after a forced Release: %v, want it gone", err)
	}
	Unlock(f)
	// A free lock file (its holder gone) is removed without force.
	if err := os.WriteFile(path, []byte("pid=999999\nhost=elsewhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Release(path, false); err != nil || got.PID != 0 {
		t.Errorf("Release(free) = %+v, %v; want it removed", got, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("free lock file after Release: %v, want it gone", err)
	}
}
