package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// embeddedEnv clears the credentials and base URL, so commands use the
// embedded target.
func embeddedEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{envClientID, envAPIKey, envAPIKeyFile, envBaseURL} {
		t.Setenv(k, "")
	}
	t.Setenv("NO_COLOR", "1")
}

// seedFileOf is examples/seed/<name>.seed.yaml for examples/<name>.yaml.
func seedFileOf(planFile string) string {
	name := strings.TrimSuffix(filepath.Base(planFile), ".yaml")
	return filepath.Join(filepath.Dir(planFile), "seed", name+".seed.yaml")
}

// TestApplyEveryExample applies every examples/*.yaml on the embedded
// target, each in a fresh copy of examples/, seeding first the objects it
// adopts when examples/seed/<name>.seed.yaml exists: apply exits 0 and a
// second `plan --detailed-exitcode` finds nothing to do.
func TestApplyEveryExample(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	embeddedEnv(t)
	ctx := context.Background()
	seeded := 0
	for _, planFile := range plans {
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			chdir(t, workDir(t))
			if _, err := os.Stat(seedFileOf(planFile)); err == nil {
				seeded++
				if r := runInProcess(ctx, "sandbox", "seed", seedFileOf(planFile), "--plan", planFile); r.code != exitOK {
					t.Fatalf("sandbox seed: exit %d\n%s", r.code, r.stderr)
				}
			}
			r := runInProcess(ctx, "apply", planFile, "--yes")
			if r.code != exitOK || !strings.Contains(r.stdout, "Apply complete:") {
				t.Fatalf("apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if r := runInProcess(ctx, "plan", planFile, "--detailed-exitcode"); r.code != exitOK {
				t.Errorf("plan --detailed-exitcode after apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
	if seeded == 0 {
		t.Errorf("no example has a seed file in examples/seed/")
	}
}
