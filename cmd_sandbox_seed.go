package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"settle/mangopay/sandbox"
)

const sandboxSeedUsage = `usage: settle sandbox seed FILE (--plan PLAN | --state DIR | --base-url URL)

Creates the objects of the seed FILE (YAML or JSON: users, wallets,
bank_accounts, cards, payins and transfers keyed by their fixed MANGOPAY
Ids; see docs/sandbox.md) in a sandbox, exactly as the API would have made
them, so that a plan can adopt them by id:

  --plan PLAN     the embedded sandbox of PLAN (.settle/sandbox beside it,
                  where settle plan and apply find it)
  --state DIR     a sandbox state folder (as given to settle sandbox serve --state)
  --base-url URL  a running settle sandbox serve (POST URL/sandbox/seed)

Seeding again changes nothing; an Id that exists with other content is
refused and nothing is created. Exit codes: 0 seeded, 1 error.

flags:
`

// seedFlags are the flags of `settle sandbox seed`.
type seedFlags struct {
	plan, state, baseURL string
}

// runSandboxSeed is `settle sandbox seed FILE`.
func runSandboxSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf seedFlags
	fs := newFlagSet("sandbox seed", sandboxSeedUsage, stdout)
	fs.StringVar(&sf.plan, "plan", "", "seed the embedded sandbox of this plan")
	fs.StringVar(&sf.state, "state", "", "seed this sandbox state folder")
	fs.StringVar(&sf.baseURL, "base-url", "", "seed the settle sandbox serve at this URL")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || countSet(sf.plan, sf.state, sf.baseURL) != 1 {
		return fs.usageErr("want one FILE and exactly one of --plan, --state and --base-url")
	}
	res, err := seed(ctx, pos[0], sf)
	if err != nil {
		return err
	}
	printSeedResult(stdout, res)
	return nil
}

// countSet counts the non-empty values.
func countSet(vs ...string) int {
	n := 0
	for _, v := range vs {
		if v != "" {
			n++
		}
	}
	return n
}

// seed reads the seed file and sends it where sf says.
func seed(ctx context.Context, file string, sf seedFlags) (*sandbox.SeedResult, error) {
	data, err := seedJSON(file)
	if err != nil {
		return nil, err
	}
	doc, err := sandbox.ParseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	switch {
	case sf.baseURL != "":
		return seedRemote(ctx, sf.baseURL, data)
	case sf.plan != "":
		if st, err := os.Stat(sf.plan); err != nil || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("--plan %s: not a plan file", sf.plan)
		}
		return seedState(ctx, filepath.Join(filepath.Dir(sf.plan), ".settle", "sandbox"), doc)
	}
	return seedState(ctx, sf.state, doc)
}

// seedJSON reads a YAML or JSON seed file and returns it as JSON. YAML
// dates (birthday: 1988-09-09) become "1988-09-09".
func seedJSON(file string) ([]byte, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var v any
	if err := yaml.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data, err := json.Marshal(jsonable(v))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return data, nil
}

// jsonable turns what yaml.v3 decodes into values encoding/json takes.
func jsonable(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = jsonable(e)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[fmt.Sprint(k)] = jsonable(e)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = jsonable(e)
		}
		return t
	case time.Time:
		if t.Equal(t.Truncate(24 * time.Hour)) {
			return t.Format("2006-01-02")
		}
		return t.Format(time.RFC3339)
	}
	return v
}

// seedState seeds the sandbox state folder dir, holding dir.lock (the
// lock the embedded target takes, so no settle run uses it meanwhile).
func seedState(ctx context.Context, dir string, doc *sandbox.SeedDoc) (*sandbox.SeedResult, error) {
	sb, err := sandbox.Open(dir, sandbox.Options{})
	if err != nil {
		return nil, err
	}
	res, err := sb.Seed(ctx, doc)
	return res, errors.Join(err, sb.Close())
}

// seedRemote POSTs the document to base/sandbox/seed.
func seedRemote(ctx context.Context, base string, data []byte) (*sandbox.SeedResult, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && !(u.Scheme == "http" && loopbackURL(base))) {
		return nil, fmt.Errorf("--base-url %q: want https, or http to a loopback host", base)
	}
	if mangopayHost(base) {
		return nil, fmt.Errorf("--base-url %s is MANGOPAY's own API: seed writes only to a settle sandbox", base)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/sandbox/seed", bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("POST /sandbox/seed: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		se := &sandbox.SeedError{Status: resp.StatusCode}
		if json.Unmarshal(body, se) != nil || se.Message == "" {
			return nil, fmt.Errorf("POST /sandbox/seed: HTTP %d: %.200s", resp.StatusCode, body)
		}
		return nil, se
	}
	var res sandbox.SeedResult
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("POST /sandbox/seed: %w", err)
	}
	return &res, nil
}

// printSeedResult prints one line per object (+ created, = unchanged) and
// the counts.
func printSeedResult(w io.Writer, res *sandbox.SeedResult) {
	for _, o := range res.Objects {
		mark := "="
		if o.Action == "created" {
			mark = "+"
		}
		fmt.Fprintf(w, "  %s %-13s %s\n", mark, o.Kind, o.Id)
	}
	fmt.Fprintf(w, "\nSeed complete: %d created, %d unchanged.\n", res.Count("created"), res.Count("unchanged"))
}
