package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"settle/executor"
)

// TestMoneyAgreesOnEveryExample applies every examples/*.yaml through the
// CLI on the embedded target (seeding what it adopts, as the README says),
// then checks that the three places showing money agree: the apply
// summary's table is the `settle report` table, and `settle report
// --format json` and `settle plan --json` have the same campaigns and
// totals (adopted pay-ins of multi-campaign.yaml included).
func TestMoneyAgreesOnEveryExample(t *testing.T) {
	plans, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil || len(plans) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	embeddedEnv(t)
	ctx := context.Background()
	for _, planFile := range plans {
		t.Run(filepath.Base(planFile), func(t *testing.T) {
			chdir(t, workDir(t))
			if _, err := os.Stat(seedFileOf(planFile)); err == nil {
				if r := runInProcess(ctx, "sandbox", "seed", seedFileOf(planFile), "--plan", planFile); r.code != exitOK {
					t.Fatalf("sandbox seed: exit %d\n%s", r.code, r.stderr)
				}
			}
			apply := runInProcess(ctx, "apply", planFile, "--yes")
			if apply.code != exitOK {
				t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
			}
			text := runInProcess(ctx, "report", planFile)
			_, summaryTable, ok := strings.Cut(apply.stdout, "\nMoney per campaign:\n")
			_, reportTable, ok2 := strings.Cut(text.stdout, "\n\n")
			if !ok || !ok2 || summaryTable != reportTable {
				t.Errorf("apply summary table:\n%s\nreport table:\n%s", summaryTable, reportTable)
			}
			var rep executor.AuditReport
			var pv executor.PreviewJSON
			decode(t, runInProcess(ctx, "report", planFile, "--format", "json"), &rep)
			decode(t, runInProcess(ctx, "plan", planFile, "--json"), &pv)
			if len(rep.Campaigns) == 0 || !reflect.DeepEqual(rep.Campaigns, pv.Campaigns) || !reflect.DeepEqual(rep.Totals, pv.Totals) {
				t.Errorf("report --format json: %+v %+v\nplan --json: %+v %+v", rep.Campaigns, rep.Totals, pv.Campaigns, pv.Totals)
			}
		})
	}
}

// decode reads a command's JSON stdout into v.
func decode(t *testing.T, r captured, v any) {
	t.Helper()
	if r.code != exitOK && r.code != exitChanges {
		t.Fatalf("%v: exit %d\n%s", r.args, r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("%v: %v\n%s", r.args, err, r.stdout)
	}
}
