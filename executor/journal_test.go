package executor

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestJournalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "p.journal.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("OpenJournal() error = %v", err)
	}
	recs := []Record{
		{Run: "r1", Step: "transfer/c/a", Kind: "transfer", Action: "create", State: StateStarted, IdempotencyKey: "k1", Amount: 500, Currency: "EUR"},
		{Run: "r1", Step: "transfer/c/a", Kind: "transfer", Action: "create", State: StateFailed, IdempotencyKey: "k1", ID: "x1", Status: "FAILED", ResultCode: "001001"},
		{Run: "r2", Step: "transfer/c/a", Kind: "transfer", Action: "create", State: StateStarted, IdempotencyKey: "k2"},
		{Run: "r2", Step: "user/u", Kind: "user", Action: "create", State: StateSucceeded, ID: "u1"},
	}
	for _, r := range recs {
		if err := j.Append(r); err != nil {
			t.Fatalf("Append() error = %v", err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	got, err := ReadJournal(path)
	if err != nil {
		t.Fatalf("ReadJournal() error = %v", err)
	}
	for i := range got {
		if got[i].TS == "" {
			t.Errorf("record %d has no ts", i)
		}
		got[i].TS = ""
	}
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("ReadJournal() = %+v, want %+v", got, recs)
	}
	h := Fold(got)
	tr := h["transfer/c/a"]
	if tr.Failures != 1 || tr.Key != "k2" || tr.ID != "x1" || !tr.InDoubt() {
		t.Errorf("Fold()[transfer] = %+v, want 1 failure, key k2, id x1, in doubt", tr)
	}
	if l := Latest(got); len(l) != 2 || l[0].State != StateStarted || l[1].ID != "u1" {
		t.Errorf("Latest() = %+v", l)
	}
}

func TestJournalTornLastLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	good := `{"ts":"t","run":"r","step":"user/a","kind":"user","action":"create","state":"succeeded"}` + "\n"
	if err := os.WriteFile(path, []byte(good+`{"ts":"t","run":"r","step":"user/b","ki`), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadJournal(path)
	if err != nil || len(recs) != 1 || recs[0].Step != "user/a" {
		t.Fatalf("ReadJournal(torn) = %+v, %v; want the one whole record", recs, err)
	}
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("OpenJournal() error = %v", err)
	}
	if err := j.Append(Record{Step: "user/c", State: StateSucceeded}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	recs, err = ReadJournal(path)
	if err != nil || len(recs) != 2 || recs[1].Step != "user/c" {
		t.Fatalf("after reopen: ReadJournal() = %+v, %v; want user/a then user/c", recs, err)
	}
	if err := os.WriteFile(path, []byte("{bad\n"+good), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadJournal(path); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("ReadJournal(corrupt middle) error = %v, want one naming line 1", err)
	}
}

func TestJournalLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenJournal(path); !errors.Is(err, ErrLocked) {
		t.Errorf("second OpenJournal() error = %v, want ErrLocked", err)
	}
	j.Close()
	j2, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("OpenJournal() after Close error = %v", err)
	}
	j2.Close()
}

func TestJournalMasks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	j.Append(Record{Step: "bank_account/x", State: StateFailed,
		Error: "bad account FR7630004000031234567890143 for card 4970107111111119"})
	j.Close()
	data, _ := os.ReadFile(path)
	s := string(data)
	if strings.Contains(s, "FR7630004000031234567890143") || strings.Contains(s, "4970107111111119") {
		t.Errorf("journal holds an IBAN or a card number: %s", s)
	}
	if !strings.Contains(s, "FR76*******************0143") || !strings.Contains(s, "497010XXXXXX1119") {
		t.Errorf("journal = %s, want masked IBAN and card", s)
	}
}

func TestReadJournalMissing(t *testing.T) {
	recs, err := ReadJournal(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || recs != nil {
		t.Errorf("ReadJournal(missing) = %v, %v; want nil, nil", recs, err)
	}
}

// TestJournalDamagedLastLine: a damaged last line is cut by OpenJournal,
// with a note for a warning, whether or not it ends in a newline, so that
// the records appended after it stay readable on every later run.
func TestJournalDamagedLastLine(t *testing.T) {
	good := `{"ts":"t","run":"r","step":"user/a","kind":"user","action":"create","state":"succeeded"}` + "\n"
	for name, tail := range map[string]string{
		"torn":             `{"ts":"t","run":"r","step":"user/b","ki`,
		"torn-newline":     `{"ts":"t","run":"r","step":"user/b","ki` + "\n",
		"garbage-newlines": "\x00\x00\x00\x00\n\n",
		"whole-no-newline": `{"ts":"t","run":"r","step":"user/b","kind":"user","action":"create","state":"succeeded"}`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j.jsonl")
			if err := os.WriteFile(path, []byte(good+tail), 0o600); err != nil {
				t.Fatal(err)
			}
			recs, err := ReadJournal(path)
			if err != nil || len(recs) != 1 || recs[0].Step != "user/a" {
				t.Fatalf("ReadJournal(damaged) = %+v, %v; want the one whole record", recs, err)
			}
			for run := range 2 {
				j, err := OpenJournal(path)
				if err != nil {
					t.Fatalf("run %d: OpenJournal() error = %v", run, err)
				}
				if got := j.Repaired(); (got != "") != (run == 0) || run == 0 && !strings.Contains(got, "line 2") {
					t.Errorf("run %d: Repaired() = %q, want a note naming line 2 on the first run only", run, got)
				}
				if err := j.Append(Record{Step: "user/c", State: StateSucceeded}); err != nil {
					t.Fatal(err)
				}
				j.Close()
			}
			recs, err = ReadJournal(path)
			if err != nil || len(recs) != 3 || recs[0].Step != "user/a" || recs[1].Step != "user/c" || recs[2].Step != "user/c" {
				t.Fatalf("after two runs: ReadJournal() = %+v, %v; want user/a then user/c twice", recs, err)
			}
		})
	}
}

// TestJournalFullDisk: once a write fails, the journal refuses every later
// one (so the torn line stays last and is cut on reopening), and every
// error wraps ErrJournal.
func TestJournalFullDisk(t *testing.T) {
	defer FailJournal(1, false)()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(Record{Step: "user/a", State: StateSucceeded}); err != nil {
		t.Fatalf("first Append() error = %v", err)
	}
	for i := range 2 {
		if err := j.Append(Record{Step: "user/b", State: StateSucceeded}); !errors.Is(err, ErrJournal) {
			t.Errorf("Append() %d on a full disk error = %v, want ErrJournal", i, err)
		}
	}
	j.Close()
	j, err = OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if j.Repaired() == "" {
		t.Errorf("OpenJournal() after a torn write: Repaired() empty, want the torn line cut")
	}
	if recs, err := ReadJournal(path); err != nil || len(recs) != 1 {
		t.Errorf("ReadJournal() = %+v, %v; want the one record written", recs, err)
	}
}
