//go:build unix

// Package flock takes the exclusive advisory locks (flock(2)) that keep two
// settle runs apart: one on a plan's journal (the executor) and one on an
// embedded sandbox's state folder (the embedded target, `settle sandbox
// serve --state` and `settle sandbox seed`). A lock lives as long as its
// file descriptor, so it dies with the process and is never stale.
package flock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned (wrapped, with the path) by [Lock] when another
// process holds the lock.
var ErrLocked = errors.New("locked by another settle run")

// Lock takes an exclusive, non-blocking lock on path (created 0600 if
// missing) and returns the open file that holds it; [Unlock] releases it.
// It fails at once, with an error wrapping [ErrLocked], when another
// process holds the lock.
func Lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// Unlock releases the lock held by f and closes it.
func Unlock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		f.Close()
		return fmt.Errorf("unlock %s: %w", f.Name(), err)
	}
	return f.Close()
}
