//go:build unix

package flock

import (
	"errors"
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
