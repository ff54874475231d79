package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"settle/executor"
	"settle/plan"
)

// A saved plan is what `settle plan PLAN --out FILE` writes and `settle
// apply FILE` executes exactly as reviewed (docs/saved-plans.md): the JSON
// of `settle plan --json` (docs/plan-json.md), so that scripts reading
// --out keep working, plus a "saved" object recording the plan file's
// content hash, the target, a hash of the state the plan read, and the
// plan as it was printed. apply refuses it when the plan file changed or
// MANGOPAY's state moved since.

// savedFormat and savedFormatVersion identify a saved plan's "saved" object.
const (
	savedFormat        = "settle saved plan"
	savedFormatVersion = 1
)

// savedPlan is a saved plan file.
type savedPlan struct {
	*executor.PreviewJSON
	Saved savedInfo `json:"saved"`
}

// savedInfo is what apply checks before executing a saved plan.
type savedInfo struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	PlanFile      string    `json:"plan_file"`   // as given to settle plan
	PlanSHA256    string    `json:"plan_sha256"` // of the plan file's bytes
	Target        string    `json:"target"`
	BaseURL       string    `json:"base_url,omitempty"` // for sandbox, production and --base-url
	StateSHA256   string    `json:"state_sha256"`       // see stateView
	SavedAt       time.Time `json:"saved_at"`
	Text          string    `json:"text"` // the plan as settle plan printed it, without colour
}

// stateView is the part of a plan that depends on MANGOPAY's state:
// every step's action, Id, reason and drift, the balance of every wallet
// of the plan before the run, and where the state was read. Two plans of
// the same file with the same view do exactly the same thing. The client's
// fee wallets (FEES_<currency>) are left out: every payment of the client
// moves them, and no step depends on them.
type stateView struct {
	Target  string                `json:"target"`
	BaseURL string                `json:"base_url,omitempty"`
	Steps   []stepView            `json:"steps"`
	Wallets []executor.WalletJSON `json:"wallets"`
}

// stepView is one step of a stateView.
type stepView struct {
	Step   string   `json:"step"`
	Action string   `json:"action"`
	ID     string   `json:"id,omitempty"`
	Reason string   `json:"reason,omitempty"`
	Drift  []string `json:"drift,omitempty"`
}

// newStateView is the state view of a plan's JSON on a target.
func newStateView(pj *executor.PreviewJSON, target, baseURL string) stateView {
	v := stateView{Target: target, BaseURL: baseURL, Steps: []stepView{}, Wallets: []executor.WalletJSON{}}
	for _, c := range pj.Changes {
		v.Steps = append(v.Steps, stepView{Step: c.Step, Action: c.Action, ID: c.ID, Reason: c.Reason, Drift: c.Drift})
	}
	for _, w := range pj.Wallets {
		if !strings.HasPrefix(w.Key, "FEES_") {
			w.After = 0 // follows from the rest
			v.Wallets = append(v.Wallets, w)
		}
	}
	return v
}

// hash is the SHA-256 of the view's JSON.
func (v stateView) hash() string {
	data, _ := json.Marshal(v) // plain strings and numbers: cannot fail
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// differences lists, in the user's terms, what differs from v in now: at
// most limit lines, then a count of the rest.
func (v stateView) differences(now stateView, limit int) []string {
	var out []string
	if v.Target != now.Target || v.BaseURL != now.BaseURL {
		out = append(out, fmt.Sprintf("target: %s %s then, %s %s now", v.Target, v.BaseURL, now.Target, now.BaseURL))
	}
	before := map[string]stepView{}
	for _, s := range v.Steps {
		before[s.Step] = s
	}
	for _, s := range now.Steps {
		b, ok := before[s.Step]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: not in the saved plan", s.Step))
		case b.Action != s.Action:
			out = append(out, fmt.Sprintf("%s: %s then, %s now%s", s.Step, b.Action, s.Action, idNow(s.ID)))
		case b.ID != s.ID || b.Reason != s.Reason || !slices.Equal(b.Drift, s.Drift):
			out = append(out, fmt.Sprintf("%s: %s, but MANGOPAY's object changed%s", s.Step, s.Action, idNow(s.ID)))
		}
	}
	walletsThen := map[string]executor.WalletJSON{}
	for _, w := range v.Wallets {
		walletsThen[w.Key] = w
	}
	for _, w := range now.Wallets {
		if t, ok := walletsThen[w.Key]; ok && (t.Before != w.Before || t.ID != w.ID) {
			out = append(out, fmt.Sprintf("wallet %s: balance %s then, %s now", w.Key,
				executor.FormatMoney(t.Before, t.Currency), executor.FormatMoney(w.Before, w.Currency)))
		}
	}
	if len(out) == 0 {
		out = append(out, "the order or number of steps and wallets")
	}
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("and %d more", len(out)-limit))
	}
	return out
}

func idNow(id string) string {
	if id == "" {
		return ""
	}
	return " (" + id + ")"
}

// fileSHA256 is the SHA-256 of a file's bytes, read at most up to the
// largest plan settle reads.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, plan.MaxFileSize+1)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeSavedPlan writes the saved plan of prev to path, mode 0600 (it
// names wallets and amounts).
func writeSavedPlan(path, planFile string, prev *executor.Preview, s *session) error {
	sum, err := fileSHA256(planFile)
	if err != nil {
		return fmt.Errorf("--out: hashing the plan file: %w", err)
	}
	var text bytes.Buffer
	opts := s.renderOptions(io.Discard)
	opts.Color = false
	if err := executor.RenderPreview(&text, prev, opts); err != nil {
		return err
	}
	pj := executor.NewPreviewJSON(prev, s.conn.Target.Name)
	base := s.savedBaseURL()
	sp := savedPlan{PreviewJSON: pj, Saved: savedInfo{
		Format: savedFormat, FormatVersion: savedFormatVersion,
		PlanFile: planFile, PlanSHA256: sum, Target: s.conn.Target.Name, BaseURL: base,
		StateSHA256: newStateView(pj, s.conn.Target.Name, base).hash(),
		SavedAt:     time.Now().UTC().Truncate(time.Second), Text: text.String(),
	}}
	data, err := json.MarshalIndent(sp, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// savedBaseURL is the base URL a saved plan records: none for the
// embedded target, whose port changes every run.
func (s *session) savedBaseURL() string {
	if s.conn.Target.Name == targetEmbedded {
		return ""
	}
	return s.conn.Target.BaseURL
}

// readSavedPlan reads path as a saved plan; ok is false when it is not one
// (a plan, YAML or JSON). Only a JSON object with a "saved" object of the
// saved-plan format is one.
func readSavedPlan(path string) (sp *savedPlan, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, nil // plan.Load reports it
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, plan.MaxFileSize+1))
	if err != nil || int64(len(data)) > plan.MaxFileSize || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return nil, false, nil
	}
	var probe struct {
		Saved *struct {
			Format string `json:"format"`
		} `json:"saved"`
	}
	if json.Unmarshal(data, &probe) != nil || probe.Saved == nil || probe.Saved.Format != savedFormat {
		return nil, false, nil
	}
	sp = &savedPlan{}
	if err := json.Unmarshal(data, sp); err != nil {
		return nil, true, fmt.Errorf("%s: a damaged saved plan: %w", path, err)
	}
	if sp.Saved.FormatVersion != savedFormatVersion {
		return nil, true, fmt.Errorf("%s: saved plan format_version %d, this settle reads %d: run settle plan again",
			path, sp.Saved.FormatVersion, savedFormatVersion)
	}
	if sp.PreviewJSON == nil || sp.Saved.PlanFile == "" || sp.Saved.StateSHA256 == "" {
		return nil, true, fmt.Errorf("%s: a damaged saved plan: its plan, plan_file or state_sha256 is missing", path)
	}
	return sp, true, nil
}

// errSavedPlanStale is wrapped by the refusals of a saved plan.
var errSavedPlanStale = errors.New("the saved plan is out of date")

// checkPlanFile refuses the saved plan when its plan file changed.
func (sp *savedPlan) checkPlanFile(savedPath string) error {
	sum, err := fileSHA256(sp.Saved.PlanFile)
	if err != nil {
		return fmt.Errorf("%s was saved from %s, which cannot be read here (paths are relative to where settle plan ran): %w",
			savedPath, sp.Saved.PlanFile, err)
	}
	if sum != sp.Saved.PlanSHA256 {
		return fmt.Errorf("%w: the plan file %s changed since %s was saved (sha256 %.12s… then, %.12s… now); "+
			"nothing was sent: run 'settle plan %s --out %s' again and review it",
			errSavedPlanStale, sp.Saved.PlanFile, savedPath, sp.Saved.PlanSHA256, sum, sp.Saved.PlanFile, savedPath)
	}
	return nil
}

// checkState refuses the saved plan when the plan made now on s differs
// from the one saved, saying what changed.
func (sp *savedPlan) checkState(savedPath string, prev *executor.Preview, s *session) error {
	now := newStateView(executor.NewPreviewJSON(prev, s.conn.Target.Name), s.conn.Target.Name, s.savedBaseURL())
	if now.hash() == sp.Saved.StateSHA256 {
		return nil
	}
	then := newStateView(sp.PreviewJSON, sp.Saved.Target, sp.Saved.BaseURL)
	return fmt.Errorf("%w: MANGOPAY's state moved since %s was saved at %s:\n  %s\nnothing was sent: run 'settle plan %s --out %s' again and review it",
		errSavedPlanStale, savedPath, sp.Saved.SavedAt.Format(time.RFC3339),
		strings.Join(then.differences(now, 20), "\n  "), sp.Saved.PlanFile, savedPath)
}
