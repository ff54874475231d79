//go:build unix

// Package flock takes the exclusive advisory locks (flock(2)) that keep two
// settle runs apart: one on a plan's journal (the executor) and one on an
// embedded sandbox's state folder (the embedded target, `settle sandbox
// serve --state` and `settle sandbox seed`). A lock lives as long as its
// file descriptor, so on a local disk it dies with the process. On a
// shared disk whose server emulates flock it may outlive a dead client:
// the lock file therefore records its [Holder] (PID, host, start time,
// command), which the refusal names and [Release] checks.
package flock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrLocked is matched (errors.Is) by the error [Lock] returns when another
// process holds the lock, a [*HeldError].
var ErrLocked = errors.New("locked by another settle run")

// Holder is who took a lock, as recorded in the lock file.
type Holder struct {
	PID     int
	Host    string
	Started time.Time
	Command string
}

// String is "PID 123 on host h since 2026-12-05T04:00:00Z (settle apply x.yaml)",
// what is known of it.
func (h Holder) String() string {
	if h.PID == 0 {
		return "a process that did not record itself"
	}
	s := fmt.Sprintf("PID %d on host %s", h.PID, h.Host)
	if !h.Started.IsZero() {
		s += " since " + h.Started.UTC().Format(time.RFC3339)
	}
	if h.Command != "" {
		s += " (" + h.Command + ")"
	}
	return s
}

// HeldError is a lock another process holds.
type HeldError struct {
	Path   string
	Holder Holder
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s is %s: %s", e.Path, ErrLocked, e.Holder)
}

// Is makes errors.Is(err, ErrLocked) hold.
func (e *HeldError) Is(target error) bool { return target == ErrLocked }

// Lock takes an exclusive, non-blocking lock on path (created 0600 if
// missing), records this process as its holder in the file, and returns
// the open file that holds it; [Unlock] releases it. It fails at once,
// with a [*HeldError] naming the holder, when another process holds it.
func Lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			h, _ := ReadHolder(path)
			return nil, &HeldError{Path: path, Holder: h}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := writeHolder(f); err != nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		return nil, fmt.Errorf("lock %s: recording the holder: %w", path, err)
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

// writeHolder records this process in the locked file f.
func writeHolder(f *os.File) error {
	host, _ := os.Hostname()
	text := fmt.Sprintf("pid=%d\nhost=%s\nstarted=%s\ncommand=%s\n", os.Getpid(), host,
		time.Now().UTC().Format(time.RFC3339), oneLine(strings.Join(os.Args, " ")))
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(text), 0); err != nil {
		return err
	}
	return f.Sync()
}

// oneLine keeps s on one line, at most 200 bytes.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// ReadHolder reads the holder recorded in the lock file at path (the zero
// Holder when it records none).
func ReadHolder(path string) (Holder, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "pid":
			h.PID, _ = strconv.Atoi(v)
		case "host":
			h.Host = v
		case "started":
			h.Started, _ = time.Parse(time.RFC3339, v)
		case "command":
			h.Command = v
		}
	}
	return h, nil
}

// Release outcomes.
var (
	// ErrHolderAlive: the lock is held by a process that still runs on
	// this host; Release leaves it.
	ErrHolderAlive = errors.New("its holder is still running")
	// ErrHolderUnknown: the lock is held from another host (or by a
	// process that did not record itself), whose life cannot be checked
	// from here; Release leaves it unless forced.
	ErrHolderUnknown = errors.New("its holder cannot be checked from this host")
)

// Release removes the lock file at path when no live process holds it:
// when the lock is free, or its holder is on this host and gone. With
// force it removes it in any case. It returns the holder it found (zero
// when the lock was free) and, when it left the file, an error wrapping
// [ErrHolderAlive] or [ErrHolderUnknown].
func Release(path string, force bool) (Holder, error) {
	f, err := Lock(path)
	if err == nil {
		// Free: no one holds it. Remove the file while holding it, so that
		// no one takes it in between.
		rmErr := os.Remove(path)
		return Holder{}, errors.Join(rmErr, Unlock(f))
	}
	var held *HeldError
	if !errors.As(err, &held) {
		return Holder{}, err
	}
	h := held.Holder
	if !force {
		host, _ := os.Hostname()
		switch {
		case h.PID == 0 || h.Host != host:
			return h, fmt.Errorf("%s: %w", path, ErrHolderUnknown)
		case alive(h.PID):
			return h, fmt.Errorf("%s: %w", path, ErrHolderAlive)
		}
	}
	return h, os.Remove(path)
}

// alive reports whether a process with this PID runs on this host.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
