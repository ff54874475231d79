package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// dashboardArtifacts is where the browser test saves a screenshot of each
// page it visits (not committed; CI may keep the folder). With -update it
// also rewrites the README's screenshot of the overview.
const (
	dashboardArtifacts  = ".artifacts/dashboard"
	dashboardReadmeShot = "docs/dashboard-overview.png"
)

// chromiumPath finds Debian's chromium or fails the test: it never skips.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("the dashboard's browser test needs Debian's chromium, which is not on PATH: run .ci/run (it installs it) or apt-get install chromium")
	return ""
}

// newBrowser starts a headless Chromium (a fresh profile, the flags this
// machine needs: no sandbox, no GPU, no network of its own) and returns a
// tab's context.
//
// Three flags keep Chromium alive on a loaded or small machine, against
// two crashes reproduced by hand:
//   - --disable-dev-shm-usage: shared memory in the temporary folder, not
//     in /dev/shm, whatever that holds. Debian's launcher means to add it
//     when /dev/shm is under 3.8 GB, but its test breaks when findmnt
//     prints /dev/shm twice (as here: "[: ...: unexpected operator"), and
//     a small /dev/shm then kills the browser at start (a trace trap with
//     1 MiB).
//   - --in-process-gpu and --disable-gpu-watchdog: without a GPU the
//     "GPU process" still composites every frame in software. As a
//     process of its own, its watchdog kills it when a loaded machine
//     starves it past the watchdog's timeout, and after its sixth death
//     the browser aborts ("GPU process isn't usable. Goodbye."). Run as a
//     thread of the browser, with no watchdog, it cannot die alone.
func newBrowser(t *testing.T, chrome string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("in-process-gpu", true), chromedp.Flag("disable-gpu-watchdog", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 900), chromedp.CombinedOutput(chromiumLog(t)))
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	if _, err := chromedp.Call(tab, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Paris"}); err != nil {
		t.Fatalf("start chromium %s: %v", chrome, err)
	}
	return tab
}

// chromiumLog is where chromium's own output goes: a file beside the
// screenshots, and the test's log when the test fails.
func chromiumLog(t *testing.T) *sbxBuffer {
	t.Helper()
	out := &sbxBuffer{}
	t.Cleanup(func() {
		_ = os.WriteFile(filepath.Join(dashboardArtifacts, "chromium.log"), []byte(out.String()), 0o644)
		if t.Failed() {
			t.Logf("chromium's output:\n%s", out.String())
		}
	})
	return out
}

// settleApply runs the built settle's apply of plan against base and
// returns its exit code and output. It waits 1 s for what MANGOPAY does
// asynchronously: here a person does it, between two applies.
func settleApply(t *testing.T, bin, dir, plan, base string) (int, string) {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("settle apply took %v", time.Since(start)) }()
	cmd := exec.Command(bin, "apply", plan, "--wait", "1s")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MANGOPAY_BASE_URL="+base, "MANGOPAY_CLIENT_ID=sandbox",
		"MANGOPAY_API_KEY=sandbox-api-key", "NO_COLOR=1", "CLICOLOR_FORCE=")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("settle apply: %v", err)
	}
	return 0, string(out)
}

// TestDashboardRehearsal is the rehearsal the README describes, in a real
// browser: apply an example plan on `settle sandbox serve --manual-kyc
// --manual-payouts`, look at the dashboard, validate the KYC document and
// process the payout by clicking (scripts disabled), apply again until it
// completes. Then every dashboard page reachable from the overview is
// visited, saved as a screenshot and checked for broken links.
func TestDashboardRehearsal(t *testing.T) {
	chrome := chromiumPath(t)
	bin := sbxBuildSettle(t)
	base, stop := sbxStart(t, bin, "--addr", "127.0.0.1:0", "--state", t.TempDir(), "--manual-kyc", "--manual-payouts")
	work := t.TempDir()
	if err := copyDir(filepath.Join(work, "examples"), "examples"); err != nil {
		t.Fatal(err)
	}
	const plan = "examples/succeeded-natural.yaml"
	if err := errors.Join(os.RemoveAll(dashboardArtifacts), os.MkdirAll(dashboardArtifacts, 0o755)); err != nil {
		t.Fatal(err)
	}
	tab := newBrowser(t, chrome)
	shot := func(name string) []byte {
		t.Helper()
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dashboardArtifacts, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		return png
	}
	open := func(path string) {
		t.Helper()
		start := time.Now()
		resp, err := chromedp.RunResponse(tab, chromedp.Navigate(base+path))
		if err != nil || resp.Status != 200 {
			t.Fatalf("open %s: %v (status %v)", path, err, resp)
		}
		t.Logf("open %s took %v", path, time.Since(start))
	}
	// click clicks the button sel and returns the notice of the page the
	// action sends the browser back to.
	click := func(sel string) string {
		t.Helper()
		resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.CSS(sel)))
		if err != nil || resp.Status != 200 {
			t.Fatalf("click %s: %v (status %v)", sel, err, resp)
		}
		notice, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(".notice")))
		if err != nil {
			t.Fatalf("after clicking %s: no notice: %v", sel, err)
		}
		return notice
	}

	// Every action works without JavaScript: the rehearsal clicks with
	// scripts disabled.
	scripts := func(on bool) {
		t.Helper()
		if _, err := chromedp.Call(tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
			t.Fatal(err)
		}
	}
	scripts(false)

	// Apply: the KYC document waits for a person, and the payout behind it.
	if code, out := settleApply(t, bin, work, plan, base); code != 5 || !strings.Contains(out, "1 pending") {
		t.Fatalf("first apply exit %d, want 5 with the KYC document pending:\n%s", code, out)
	}
	// Look.
	open("/dashboard/")
	ledger, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("#ledger .big")))
	if err != nil || ledger != "Ledger balanced" {
		t.Errorf("overview ledger status = %q (%v), want Ledger balanced", ledger, err)
	}
	shot("1-overview-kyc-waiting")
	open("/dashboard/queues")
	shot("2-queues-kyc-waiting")
	// Act: validate the document.
	if notice := click(`#kyc table form[action$="/validate"] button`); !strings.HasPrefix(notice, "Validated KYC document kyc_") {
		t.Errorf("notice after validating = %q", notice)
	}
	shot("3-queues-kyc-validated")
	// Apply again: the payout is created and waits to be processed.
	if code, out := settleApply(t, bin, work, plan, base); code != 5 || !strings.Contains(out, "1 pending") {
		t.Fatalf("second apply exit %d, want 5 with the payout pending:\n%s", code, out)
	}
	open("/dashboard/queues")
	shot("4-queues-payout-waiting")
	if notice := click(`#payouts table form[action$="/process"] button`); !strings.HasPrefix(notice, "Processed payout po_") {
		t.Errorf("notice after processing = %q", notice)
	}
	// Apply again: complete.
	if code, out := settleApply(t, bin, work, plan, base); code != 0 || !regexp.MustCompile(`Apply complete: .* 0 pending`).MatchString(out) {
		t.Fatalf("third apply exit %d, want 0 and nothing pending:\n%s", code, out)
	}

	// Every page reachable from the overview: a screenshot each, no link
	// that fails, the ledger balanced, dates in the browser's zone (which
	// the script tells the server).
	scripts(true)
	open("/dashboard/") // its script sets the zone cookie the next pages use
	open("/dashboard/")
	overview := shot("5-overview-settled")
	if *update {
		if err := os.WriteFile(dashboardReadmeShot, overview, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	crawlDashboard(t, tab, base, shot)
	// Close the browser before the server stops: a socket it opened ahead
	// of a request (a preconnect, which Chromium opens or not as its
	// predictor guesses) holds net/http's graceful shutdown 5 s, as long as
	// the server's grace, and serve then exits 130 ("context deadline
	// exceeded") instead of 0.
	if err := chromedp.Cancel(tab); err != nil {
		t.Errorf("close chromium: %v", err)
	}
	if code := stop(); code != 0 {
		t.Errorf("settle sandbox serve exit code after SIGINT = %d, want 0", code)
	}
}

// crawlDashboard visits every dashboard page linked from the overview,
// breadth first: each must load (200, not the problem page), have no link
// or asset that fails, and show its dates in the browser's zone.
func crawlDashboard(t *testing.T, tab context.Context, base string, shot func(string) []byte) {
	t.Helper()
	seen := map[string]bool{"/dashboard/": true}
	queue := []string{"/dashboard/", "/dashboard/search?q=oven"}
	checked := map[string]bool{}
	for len(queue) > 0 && len(seen) < 80 {
		path := queue[0]
		queue = queue[1:]
		resp, err := chromedp.RunResponse(tab, chromedp.Navigate(base+path))
		if err != nil || resp.Status != 200 {
			t.Errorf("page %s: %v (status %v)", path, err, resp)
			continue
		}
		title, _ := chromedp.Run(tab, chromedp.Title())
		if strings.HasPrefix(title, "Problem") {
			t.Errorf("page %s is the problem page", path)
		}
		footer, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("footer")))
		if !strings.Contains(footer, "Europe/Paris") {
			t.Errorf("page %s footer = %q, want dates in the browser's zone Europe/Paris", path, footer)
		}
		if ledger, err := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector("#ledger .big")||{}).textContent||""`)); err == nil &&
			ledger != "" && ledger != "Ledger balanced" {
			t.Errorf("page %s ledger = %q", path, ledger)
		}
		// Readable on a laptop: nothing wider than the 1366-pixel window.
		if wide, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); err != nil || wide {
			t.Errorf("page %s is wider than the window (%v)", path, err)
		}
		shot("page" + strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(strings.TrimPrefix(path, "/dashboard")))
		links, err := chromedp.Run(tab, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("a[href], link[href], script[src]")).map(e => e.href || e.src)`))
		if err != nil {
			t.Fatalf("links of %s: %v", path, err)
		}
		for _, link := range links {
			u, err := url.Parse(link)
			if err != nil || !strings.HasPrefix(link, base+"/") {
				t.Errorf("page %s links outside the sandbox: %q", path, link)
				continue
			}
			u.Fragment = ""
			target := u.RequestURI()
			if !checked[target] {
				checked[target] = true
				r, err := http.Get(base + target)
				if err != nil {
					t.Errorf("link %s on %s: %v", target, path, err)
					continue
				}
				r.Body.Close()
				if r.StatusCode != 200 {
					t.Errorf("link %s on %s = %d", target, path, r.StatusCode)
				}
			}
			page := strings.HasPrefix(u.Path, "/dashboard/") && !strings.HasPrefix(u.Path, "/dashboard/assets/") &&
				!strings.Contains(u.Path, "/pages/") // a KYC document's page is a file, checked above
			if page && !seen[target] {
				seen[target] = true
				queue = append(queue, target)
			}
		}
	}
	for _, kind := range []string{"/dashboard/users/", "/dashboard/wallets/", "/dashboard/queues", "/dashboard/faults"} {
		found := false
		for p := range seen {
			found = found || strings.HasPrefix(p, kind)
		}
		if !found {
			t.Errorf("no link from the overview leads to %s...", kind)
		}
	}
}
