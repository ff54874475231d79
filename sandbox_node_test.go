package main

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestNodeSDKFlow builds settle, starts `settle sandbox serve` as a real
// process and drives the whole crowdfunding flow through MANGOPAY's official
// Node SDK, Recipients (SCA page, VOP, payout by RecipientId) and hosted
// identity verification included (testdata/node/flow.js, mangopay4-nodejs-sdk pinned in
// package.json and package-lock.json). It needs node and npm: without them
// it fails, it does not skip.
func TestNodeSDKFlow(t *testing.T) {
	node := sbxLookTool(t, "node")
	npm := sbxLookTool(t, "npm")
	dir, err := filepath.Abs(filepath.Join("testdata", "node"))
	if err != nil {
		t.Fatal(err)
	}
	sbxNPMCI(t, npm, dir)
	bin := sbxBuildSettle(t)
	url, stop := sbxStart(t, bin, "--addr", "127.0.0.1:0", "--state", t.TempDir())
	cmd := exec.Command(node, "flow.js", url)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("node flow.js %s:\n%s", url, out)
	if err != nil {
		t.Errorf("node flow.js: %v", err)
	}
	if code := stop(); code != 0 {
		t.Errorf("settle sandbox serve exit code after SIGINT = %d, want 0", code)
	}
}

// sbxLookTool finds a required tool on PATH or fails the test.
func sbxLookTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required for this test and is not on PATH: %v", name, err)
	}
	return p
}

// sbxNPMCI installs testdata/node's locked dependencies when node_modules is
// missing or older than package-lock.json.
func sbxNPMCI(t *testing.T, npm, dir string) {
	t.Helper()
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	hidden, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	if err == nil && !hidden.ModTime().Before(lock.ModTime()) {
		return
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
}

// sbxBuildSettle builds the settle binary into a temporary directory.
func sbxBuildSettle(t *testing.T) string {
	t.Helper()
	goTool := sbxLookTool(t, "go")
	bin := filepath.Join(t.TempDir(), "settle")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// sbxStart starts `settle sandbox serve` with args and returns its base
// URL (read from the first stdout line) and a stop function that sends
// SIGINT and returns the exit code.
func sbxStart(t *testing.T, bin string, args ...string) (string, func() int) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sandbox", "serve"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &sbxBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	done := make(chan error, 1)
	stopped := false
	stop := func() int {
		if !stopped {
			stopped = true
			_ = cmd.Process.Signal(os.Interrupt)
		}
		err := <-done
		done <- err
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Logf("settle sandbox serve stderr:\n%s", stderr.String())
			return exit.ExitCode()
		}
		return 0
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		for sc.Scan() {
		}
		done <- cmd.Wait()
	}()
	t.Cleanup(func() { stop() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	select {
	case line, ok := <-lines:
		_, url, found := strings.Cut(line, " listening on ")
		url, _, _ = strings.Cut(url, " ")
		if !ok || !found || !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
			t.Fatalf("settle sandbox serve printed %q, want the listening URL (stderr: %s)", line, stderr.String())
		}
		return url, stop
	case <-ctx.Done():
		t.Fatalf("settle sandbox serve did not print its URL within a minute")
	}
	return "", stop
}

// sbxBuffer is a strings.Builder safe for a writer and a reader at once.
type sbxBuffer struct {
	mu sync.Mutex
	b  strings.Builder // guarded by mu
}

func (s *sbxBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *sbxBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSandboxServeCommand runs `settle sandbox serve` in process: it prints
// its URL, answers the OAuth endpoint, and stops with exit code 0 when its
// context ends; bad invocations exit 1.
func TestSandboxServeCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &sbxBuffer{}, &sbxBuffer{}
	codes := make(chan int, 1)
	go func() {
		codes <- runSandbox(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--client-id", "acme", "--api-key", "k",
			"--rate-limit", "1m:100,1h:1000"}, stdout, stderr)
	}()
	var url string
	for url == "" {
		select {
		case code := <-codes:
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		default:
		}
		if line := stdout.String(); strings.Contains(line, "\n") {
			_, rest, _ := strings.Cut(line, " listening on ")
			url, _, _ = strings.Cut(rest, " ")
			if !strings.Contains(line, "(client id acme)") {
				t.Errorf("banner = %q, want the client id", line)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	req, _ := http.NewRequest("POST", url+"/v2.01/oauth/token", nil)
	req.SetBasicAuth("acme", "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("token status = %d, want 200", resp.StatusCode)
	}
	cancel()
	if code := <-codes; code != 0 {
		t.Errorf("exit code after cancel = %d, want 0 (%s)", code, stderr.String())
	}
	for _, args := range [][]string{{}, {"nope"}, {"serve", "--bogus"}, {"serve", "--rate-limit", "1m"},
		{"serve", "--error-ratio", "2"}, {"serve", "--addr", "256.0.0.1:1"}} {
		if code := runSandbox(context.Background(), args, &sbxBuffer{}, &sbxBuffer{}); code != 1 {
			t.Errorf("runSandbox(%q) = %d, want 1", args, code)
		}
	}
}
