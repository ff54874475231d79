package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"slices"
	"strings"

	"settle/internal/flock"
	"settle/mangopay"
	"settle/plan"
)

// forPeople is the text printError gives a command's error: what failed in
// the user's terms and what to do about it, without the chain of internal
// package names ("executor: ... mangopay: ..."). The cases:
//
//   - credentials MANGOPAY refused: which variables to check;
//   - MANGOPAY unreachable: the network, the base URL;
//   - a lock another run holds: who (PID, host, since when) and `settle unlock`;
//   - a plan file too large: --max-plan-size;
//   - a missing file: its name.
func forPeople(err error) string {
	var (
		apiErr  *mangopay.Error
		held    *flock.HeldError
		netErr  net.Error
		pathErr *fs.PathError
	)
	switch {
	case errors.As(err, &held):
		return fmt.Sprintf("%s is %s: %s. Wait for it to finish; "+
			"if that process is gone (a crashed run on a shared disk), 'settle unlock PLAN' removes the lock.", held.Path, flock.ErrLocked, held.Holder)
	case errors.Is(err, mangopay.ErrAuth) && errors.As(err, &apiErr):
		return fmt.Sprintf("MANGOPAY refused the credentials (%s). Check %s and %s (or %s): "+
			"they must be this target's (sandbox and production keys differ), and the key must not have been revoked.",
			apiSummary(apiErr), envClientID, envAPIKey, envAPIKeyFile)
	case errors.Is(err, context.Canceled):
	case isNetwork(err) && errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("MANGOPAY did not answer in time%s (%s). Run the command again: what was sent is journalled.",
			hostOf(err), rootCause(err))
	case isNetwork(err):
		return fmt.Sprintf("cannot reach MANGOPAY%s (%s). Check the network and proxy, and --base-url or %s; "+
			"run the command again once it is reachable: what was sent is journalled.", hostOf(err), rootCause(err), envBaseURL)
	case errors.Is(err, plan.ErrTooLarge):
		return stripPackages(err.Error())
	case errors.As(err, &pathErr) && errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("%s: no such file", pathErr.Path)
	}
	return stripPackages(strings.TrimSpace(err.Error()))
}

// isNetwork reports whether err is a failure to talk to a server: a
// connection, DNS or HTTP transport error.
func isNetwork(err error) bool {
	var (
		urlErr *url.Error
		opErr  *net.OpError
		dnsErr *net.DNSError
	)
	return errors.As(err, &urlErr) || errors.As(err, &opErr) || errors.As(err, &dnsErr)
}

// hostOf is " at HOST" for an error about a URL, else "".
func hostOf(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
			return " at " + u.Host
		}
	}
	return ""
}

// apiSummary is "401 invalid_client: message" for a MANGOPAY error.
func apiSummary(e *mangopay.Error) string {
	s := fmt.Sprint(e.StatusCode)
	if e.Type != "" {
		s += " " + e.Type
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// rootCause is the innermost error's text.
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// internalPackages are the package names settle's errors are wrapped with.
var internalPackages = []string{"executor", "mangopay", "plan", "sandbox"}

// stripPackages removes the package names that start segments of an error
// chain ("executor: listing users: mangopay: GET /users: x" is "listing
// users: GET /users: x").
func stripPackages(msg string) string {
	parts := strings.Split(msg, ": ")
	out := parts[:0]
	for i, p := range parts {
		if i < len(parts)-1 && slices.Contains(internalPackages, p) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ": ")
}
