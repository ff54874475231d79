//go:build unix

package executor

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive, non-blocking flock on path (created 0600 if
// missing) and returns the open file that holds it. The lock lives as long
// as the file descriptor, so it dies with the process and is never stale.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("executor: open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("executor: %s is held by another settle run of this plan: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("executor: lock %s: %w", path, err)
	}
	return f, nil
}

// unlockFile releases the lock and closes its file.
func unlockFile(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		f.Close()
		return fmt.Errorf("executor: unlock %s: %w", f.Name(), err)
	}
	return f.Close()
}
