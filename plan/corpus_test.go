package plan_test

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"settle/plan"
)

// update rewrites the bad-plan goldens from the validator's output, in the
// go/printer style: go test ./plan -run Corpus -update, then review the diff.
var update = flag.Bool("update", false, "rewrite testdata/bad/*.golden from the validator's output")

const (
	repoRoot = ".."
	badDir   = "testdata/bad" // relative to the plan package
	// minCorpus is the size the corpus must keep (issue 4 asks for 60).
	minCorpus = 70
	// hugePage is the size of the sparse page the test creates for
	// files-kyc-too-large.yaml: above MANGOPAY's 7 MB page limit.
	hugePage = 8 << 20
)

// TestCorpus loads every plan of testdata/bad, which must fail, and compares
// its errors with testdata/bad/<name>.golden. Each plan is parsed as if it
// lived in a scratch copy of the package folder (<tmp>/testdata/bad/<name>.yaml),
// which holds the KYC fixtures plus the two the test makes at run time (a
// symlink leading out of the plan's folder and a sparse 8 MiB page), so the
// repository is never written to; the scratch prefix is then removed, so the
// goldens read exactly as `settle validate testdata/bad/<name>.yaml` prints
// from the plan folder.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < minCorpus {
		t.Fatalf("corpus has %d plans, want at least %d", len(files), minCorpus)
	}
	checkNoOrphanGoldens(t)
	scratch := scratchRepo(t)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			errs := parseBad(t, filepath.Join(scratch, badDir, name+".yaml"), data)
			checkPositions(t, data, errs)
			got := strings.ReplaceAll(errs.Error(), scratch+string(filepath.Separator), "") + "\n"
			compareGolden(t, strings.TrimSuffix(file, ".yaml")+".golden", got)
		})
	}
}

// checkNoOrphanGoldens fails for a golden file left without its plan.
func checkNoOrphanGoldens(t *testing.T) {
	t.Helper()
	goldens, err := filepath.Glob(filepath.Join(badDir, "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".yaml"); err != nil {
			t.Errorf("golden %s has no plan: %v", g, err)
		}
	}
}

// parseBad parses a bad plan and returns its errors. It fails the test if
// the parser panics, accepts the plan, or returns an error that is not a
// plan.ErrorList (every problem must carry a position).
func parseBad(t *testing.T, name string, data []byte) (errs plan.ErrorList) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse(%s) panicked: %v", name, r)
		}
	}()
	if _, err := plan.Parse(name, data); err == nil {
		t.Fatalf("Parse(%s) succeeded; want errors", name)
	} else if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("Parse(%s) error %T %q is not a non-empty plan.ErrorList", name, err, err)
	}
	return errs
}

// checkPositions checks that every error points inside the file: line in
// [1, number of lines], column in [1, length of the line + 1], and that
// the list is sorted by position.
func checkPositions(t *testing.T, data []byte, errs plan.ErrorList) {
	t.Helper()
	lines := strings.Split(string(data), "\n")
	if len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // the newline ends the last line
	}
	for i, e := range errs {
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) {
			t.Errorf("error %q: line %d outside 1..%d", e, e.Pos.Line, len(lines))
			continue
		}
		if max := len(lines[e.Pos.Line-1]) + 1; e.Pos.Col < 1 || e.Pos.Col > max {
			t.Errorf("error %q: column %d outside 1..%d", e, e.Pos.Col, max)
		}
		if i > 0 && errs.Less(i, i-1) {
			t.Errorf("errors not sorted: %q before %q", errs[i-1], e)
		}
	}
}

// compareGolden compares got with the golden file, or rewrites it with
// -update.
func compareGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./plan -run Corpus -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("errors differ from %s\ngot:\n%swant:\n%s", golden, got, want)
	}
}

// scratchRepo builds the scratch copy of the parts of the package folder
// (and of the repository) the bad plans touch and returns its root:
//
//	testdata/bad/kyc/*                 copies of the committed fixtures
//	testdata/bad/kyc/link-out.pdf      symlink to ../../../examples/kyc/identity.pdf
//	testdata/bad/kyc/huge.pdf          sparse PDF of hugePage bytes
//	examples/kyc/identity.pdf          a valid page outside the plans' folder
func scratchRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	kyc := filepath.Join(root, badDir, "kyc")
	copyDir(t, filepath.Join(badDir, "kyc"), kyc)
	copyFile(t, filepath.Join(repoRoot, "examples", "kyc", "identity.pdf"),
		filepath.Join(root, "examples", "kyc", "identity.pdf"))
	if err := os.Symlink(filepath.Join("..", "..", "..", "examples", "kyc", "identity.pdf"),
		filepath.Join(kyc, "link-out.pdf")); err != nil {
		t.Fatal(err)
	}
	huge, err := os.Create(filepath.Join(kyc, "huge.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := huge.WriteString("%PDF-1.4\n"); err != nil {
		t.Fatal(err)
	}
	if err := huge.Truncate(hugePage); err != nil {
		t.Fatal(err)
	}
	if err := huge.Close(); err != nil {
		t.Fatal(err)
	}
	return root
}

// copyDir copies the regular files of src (not its subfolders) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			copyFile(t, filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()))
		}
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(fmt.Errorf("copy %s: %w", src, err))
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// money is what a campaign's steps move, in cents: the sums of its
// transfers (and their fees), its payout (and fee), its transfer refunds and
// its pay-in refunds (to cards), and what stays in the project wallet.
type money struct {
	collected, transferFees, payout, payoutFees, refunded, toCards, stays int64
}

// exampleMoney is the money of every example campaign as each example's top
// comment states it; TestExamples checks the expansion against it, so the
// comments stay true and every example balances.
var exampleMoney = map[string]map[string]money{
	"succeeded-natural": {"oven-2026": {collected: 12000, payout: 12000, payoutFees: 960}},
	"failed-to-card":    {"tour-2026": {collected: 12500, refunded: 12500, toCards: 12500}},
	"failed-to-wallet":  {"ramp-2026": {collected: 12500, refunded: 12500}},
	"legal-owner":       {"green-roofs-2026": {collected: 25000, payout: 25000, payoutFees: 1500}},
	"vop-recipient":     {"repair-cafe-2026": {collected: 6000, payout: 6000, payoutFees: 300}},
	"multi-campaign": {
		"library-2026":   {collected: 12000, payout: 12000, payoutFees: 720},
		"skatepark-2026": {collected: 4500, refunded: 4500},
		"choir-2026":     {collected: 4500, stays: 4500},
	},
	"fees-on-transfer":  {"river-2026": {collected: 10999, transferFees: 549, payout: 10450}},
	"partial-refund":    {"fest-2026": {collected: 9200, refunded: 7600, toCards: 7600, stays: 1600}},
	"imported-campaign": {"oven-2026": {collected: 8000, payout: 8000}},
}

// examplesWithAdoptedIDs lists the examples that adopt existing MANGOPAY
// objects: applying them needs those objects seeded on the target first
// (see the top comment of each).
var examplesWithAdoptedIDs = map[string]bool{"multi-campaign": true, "imported-campaign": true}

const schemaModeline = "# yaml-language-server: $schema=../schemas/plan.schema.json"

// TestExamples checks that every examples/*.yaml starts with the schema
// modeline and a comment, loads without error, has a plan name of its own,
// expands into steps listed dependencies first, adopts objects only where
// examplesWithAdoptedIDs says, and moves exactly the money its comment
// states.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("found %d examples, want at least 5", len(files))
	}
	// Examples share a folder, so their journals (.settle/<plan name>...)
	// and Tags stay apart only if their plan names differ.
	planNames := map[string]string{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			checkHeader(t, file)
			p, err := plan.Load(file)
			if err != nil {
				t.Fatalf("Load(%s): %v", file, err)
			}
			if other, ok := planNames[p.Name]; ok {
				t.Errorf("plan name %q is also used by %s", p.Name, other)
			}
			planNames[p.Name] = file
			steps, err := plan.Expand(p)
			if err != nil {
				t.Fatalf("Expand(%s): %v", file, err)
			}
			adopted := checkOrder(t, steps)
			if adopted != examplesWithAdoptedIDs[name] {
				t.Errorf("adopts objects = %v, want %v (update examplesWithAdoptedIDs and CI's seeding)", adopted, !adopted)
			}
			want, ok := exampleMoney[name]
			if !ok {
				t.Fatalf("no entry for %s in exampleMoney", name)
			}
			got := campaignMoney(steps)
			for c := range p.Campaigns {
				if got[c] != want[c] {
					t.Errorf("campaign %s money = %+v, want %+v", c, got[c], want[c])
				}
			}
			if len(want) != len(p.Campaigns) {
				t.Errorf("exampleMoney has %d campaigns, the plan %d", len(want), len(p.Campaigns))
			}
		})
	}
}

// checkHeader checks the schema modeline and that a comment of at least two
// lines follows it, saying what the example shows.
func checkHeader(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if lines[0] != schemaModeline {
		t.Errorf("first line = %q, want %q", lines[0], schemaModeline)
	}
	text := 0
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "#") {
			break
		}
		if strings.TrimSpace(strings.TrimPrefix(l, "#")) != "" {
			text++
		}
	}
	if text < 2 {
		t.Errorf("the top comment has %d lines of text, want a description of what the example shows", text)
	}
}

// checkOrder checks that step keys are unique and that every step comes
// after the steps it depends on. It reports whether any step is adopted.
func checkOrder(t *testing.T, steps []*plan.Step) (adopted bool) {
	t.Helper()
	seen := make(map[string]bool, len(steps))
	for _, s := range steps {
		if seen[s.Key] {
			t.Errorf("step %s appears twice", s.Key)
		}
		for _, d := range s.Deps {
			if !seen[d] {
				t.Errorf("step %s depends on %s, which does not come before it", s.Key, d)
			}
		}
		seen[s.Key] = true
		adopted = adopted || s.AdoptedID != ""
	}
	return adopted
}

// campaignMoney sums the money steps of each campaign.
func campaignMoney(steps []*plan.Step) map[string]money {
	out := map[string]money{}
	for _, s := range steps {
		if s.Campaign == "" {
			continue
		}
		m := out[s.Campaign]
		switch s.Kind {
		case plan.KindTransfer:
			m.collected += s.Amount
			m.transferFees += s.Fees
		case plan.KindPayOut:
			m.payout += s.Amount
			m.payoutFees += s.Fees
		case plan.KindTransferRefund:
			m.refunded += s.Amount
		case plan.KindPayInRefund:
			m.toCards += s.Amount
		}
		out[s.Campaign] = m
	}
	for c, m := range out {
		m.stays = m.collected - m.transferFees - m.payout - m.refunded
		out[c] = m
	}
	return out
}
