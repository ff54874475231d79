package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"settle/mangopay/sandbox/internal/platform"
)

// Seeding creates objects with fixed Ids, as a platform's checkout would
// have made them before settle adopts them by Id. Every object goes through
// the API handler that creates its kind (same validation, defaults, events,
// ledger entries and persistence), the handler's newID handing out the
// seed's Id instead of a fresh one. Seeding is idempotent: an Id that exists
// with the content the seed declares is left alone; with other content the
// whole seed is refused (409 seed_conflict) before anything is created.
//
// Objects are created in this order, each kind by Id: users, wallets,
// bank accounts, cards, pay-ins, transfers. Conflicts, unknown references
// and rule violations (a pay-in that would not succeed) are found first;
// a request the API refuses (an invalid email, say) stops the seed at that
// object, those created before it stay, and seeding the fixed document
// again creates the rest.

// SeedDoc is a seed document (the body of POST /sandbox/seed; `settle
// sandbox seed` reads the same document from YAML or JSON). Maps are keyed
// by the fixed MANGOPAY Id of each object; references are Ids too, of
// objects that exist already or are seeded by the same document.
type SeedDoc struct {
	// Currency is the default currency of wallets and cards.
	Currency     string                     `json:"currency,omitempty"`
	Users        map[string]SeedUser        `json:"users,omitempty"`
	Wallets      map[string]SeedWallet      `json:"wallets,omitempty"`
	BankAccounts map[string]SeedBankAccount `json:"bank_accounts,omitempty"`
	Cards        map[string]SeedCard        `json:"cards,omitempty"`
	PayIns       map[string]SeedPayIn       `json:"payins,omitempty"`
	Transfers    map[string]SeedTransfer    `json:"transfers,omitempty"`
}

// ParseSeed decodes a JSON seed document; unknown fields are errors.
func ParseSeed(data []byte) (*SeedDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc SeedDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("seed document: %s%w", seedErrorPath(data), err)
	}
	if dec.More() {
		return nil, fmt.Errorf("seed document: more than one JSON value")
	}
	return &doc, nil
}

// seedErrorPath finds the object of a document that does not decode
// ("users.user_m_X: "), so that an unknown field names its object.
func seedErrorPath(data []byte) string {
	var sections map[string]json.RawMessage
	if json.Unmarshal(data, &sections) != nil {
		return ""
	}
	elem := map[string]func() any{"users": func() any { return new(SeedUser) }, "wallets": func() any { return new(SeedWallet) },
		"bank_accounts": func() any { return new(SeedBankAccount) }, "cards": func() any { return new(SeedCard) },
		"payins": func() any { return new(SeedPayIn) }, "transfers": func() any { return new(SeedTransfer) }}
	for _, name := range sortedKeys(sections) {
		var objs map[string]json.RawMessage
		if elem[name] == nil || json.Unmarshal(sections[name], &objs) != nil {
			continue
		}
		for _, id := range sortedKeys(objs) {
			dec := json.NewDecoder(bytes.NewReader(objs[id]))
			dec.DisallowUnknownFields()
			if dec.Decode(elem[name]()) != nil {
				return name + "." + id + ": "
			}
		}
	}
	return ""
}

// SeedResult lists the objects of a seed document in the order they were
// handled, with what the seed did to each.
type SeedResult struct {
	Objects []SeedObject `json:"Objects"`
}

// SeedObject is one object of a seed: Kind is user, wallet, bank_account,
// card, payin or transfer; Action is created or unchanged.
type SeedObject struct {
	Kind   string `json:"Kind"`
	Id     string `json:"Id"`
	Action string `json:"Action"`
}

// Count returns how many objects got the action.
func (r *SeedResult) Count(action string) int {
	n := 0
	for _, o := range r.Objects {
		if o.Action == action {
			n++
		}
	}
	return n
}

// SeedError is a refused seed: Status 400 (an invalid document, or an
// object the API refused) or 409 (an Id that exists with other content).
// Errors are keyed by the object ("users.user_m_...") or field path.
type SeedError struct {
	Status  int               `json:"-"`
	Type    string            `json:"Type"`
	Message string            `json:"Message"`
	Errors  map[string]string `json:"errors"`
}

// Error lists the message and each error, sorted by key.
func (e *SeedError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range slices.Sorted(maps.Keys(e.Errors)) {
		fmt.Fprintf(&b, "\n  %s: %s", k, e.Errors[k])
	}
	return b.String()
}

// Seed creates the objects of doc that do not exist yet, as POST
// /sandbox/seed does, and makes them durable before returning. A refusal
// is a *SeedError.
func (s *Server) Seed(ctx context.Context, doc *SeedDoc) (*SeedResult, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost/sandbox/seed", nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox: seed: %w", err)
	}
	var res *SeedResult
	var e *apiError
	if err := s.api.Commit(func(now time.Time) { res, e = s.seed(r, now, doc) }); err != nil {
		return nil, err
	}
	if e != nil {
		return nil, &SeedError{Status: e.Status, Type: e.Type, Message: e.Message, Errors: e.Errors}
	}
	return res, nil
}

// adminSeed is POST /sandbox/seed: a SeedDoc in, a SeedResult out (200).
func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, platform.MaxBody)); err != nil {
		s.api.WriteError(w, platform.BodyError(err))
		return
	}
	doc, err := ParseSeed(buf.Bytes())
	if err != nil {
		s.api.WriteError(w, errField("Body", err.Error()))
		return
	}
	s.commit(w, func(now time.Time) (any, *apiError) {
		res, e := s.seed(r, now, doc)
		if e != nil {
			return nil, e
		}
		return res, nil
	})
}

// seedObj is one object of a seed document. check validates it against
// the document and the state (field errors), diff compares it with the
// existing object of its Id (conflicts), create makes it.
type seedObj struct {
	kind, id string
	exists   bool
	check    func(f fieldErrs)
	diff     func(d *diffs)
	create   func(sd *seeder) *apiError
}

// seeder is one seed in progress, with s.mu held.
type seeder struct {
	s   *Server
	r   *http.Request
	now time.Time
	doc *SeedDoc
}

// seedKinds are the kinds of a document in creation order, with their Id prefix.
var seedKinds = []struct{ kind, section, prefix string }{
	{"user", "users", "user_m_"}, {"wallet", "wallets", "wlt_m_"}, {"bank_account", "bank_accounts", "ba_m_"},
	{"card", "cards", "card_m_"}, {"payin", "payins", "payin_m_"}, {"transfer", "transfers", "xfer_m_"},
}

var seedIDRe = regexp.MustCompile(`^[a-z]+_m_[0-9A-Za-z]{1,64}$`)

// seed checks doc, then creates what is missing. Called with s.mu held.
func (s *Server) seed(r *http.Request, now time.Time, doc *SeedDoc) (*SeedResult, *apiError) {
	sd := &seeder{s: s, r: r, now: now, doc: doc}
	objs := sd.objects()
	f, conflicts := fieldErrs{}, map[string]string{}
	for _, o := range objs {
		path := sd.section(o.kind) + "." + o.id
		if !seedIDRe.MatchString(o.id) || !strings.HasPrefix(o.id, sd.prefix(o.kind)) {
			f.add(path, fmt.Sprintf("the Id must be %s followed by 1 to 64 letters or digits", sd.prefix(o.kind)))
			continue
		}
		of := fieldErrs{}
		o.check(of)
		for k, v := range of {
			f.add(path+"."+k, v)
		}
		if o.exists && len(of) == 0 {
			var d diffs
			o.diff(&d)
			if len(d) > 0 {
				conflicts[path] = "exists with other content: " + strings.Join(d, "; ")
			}
		}
	}
	if e := f.err(); e != nil {
		e.Message = "The seed document is invalid; nothing was created."
		return nil, e
	}
	if len(conflicts) > 0 {
		return nil, &apiError{Status: http.StatusConflict, Type: "seed_conflict", Errors: conflicts,
			Message: "The seed document conflicts with existing objects (same Id, other content); nothing was created."}
	}
	return sd.createAll(objs)
}

// createAll creates the missing objects in order.
func (sd *seeder) createAll(objs []seedObj) (*SeedResult, *apiError) {
	res := &SeedResult{Objects: []SeedObject{}}
	for _, o := range objs {
		if o.exists {
			res.Objects = append(res.Objects, SeedObject{Kind: o.kind, Id: o.id, Action: "unchanged"})
			continue
		}
		if e := o.create(sd); e != nil {
			return nil, prefixError(sd.section(o.kind)+"."+o.id, e)
		}
		res.Objects = append(res.Objects, SeedObject{Kind: o.kind, Id: o.id, Action: "created"})
	}
	return res, nil
}

// prefixError names the object in an API error: the message starts with
// its path and the field keys are below it.
func prefixError(path string, e *apiError) *apiError {
	out := &apiError{Status: e.Status, Type: e.Type, Message: path + ": " + e.Message}
	if len(e.Errors) > 0 {
		out.Errors = map[string]string{}
		for k, v := range e.Errors {
			out.Errors[path+"."+k] = v
		}
	}
	return out
}

// objects lists the document's objects in creation order.
func (sd *seeder) objects() []seedObj {
	var out []seedObj
	for _, id := range sortedKeys(sd.doc.Users) {
		out = append(out, sd.userObj(id, sd.doc.Users[id]))
	}
	for _, id := range sortedKeys(sd.doc.Wallets) {
		out = append(out, sd.walletObj(id, sd.doc.Wallets[id]))
	}
	for _, id := range sortedKeys(sd.doc.BankAccounts) {
		out = append(out, sd.bankObj(id, sd.doc.BankAccounts[id]))
	}
	for _, id := range sortedKeys(sd.doc.Cards) {
		out = append(out, sd.cardObj(id, sd.doc.Cards[id]))
	}
	for _, id := range sortedKeys(sd.doc.PayIns) {
		out = append(out, sd.payinObj(id, sd.doc.PayIns[id]))
	}
	for _, id := range sortedKeys(sd.doc.Transfers) {
		out = append(out, sd.transferObj(id, sd.doc.Transfers[id]))
	}
	return out
}

func (sd *seeder) section(kind string) string {
	for _, k := range seedKinds {
		if k.kind == kind {
			return k.section
		}
	}
	return kind
}

func (sd *seeder) prefix(kind string) string {
	for _, k := range seedKinds {
		if k.kind == kind {
			return k.prefix
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// create runs an API handler as if body had been POSTed to it with the path
// parameters params. pin, when set, is the Id newID hands out for its
// prefix (the object the seed creates). A handler error is returned as is;
// a successful answer is decoded into out.
func (sd *seeder) create(h handler, params map[string]string, pinPrefix, pinID string, body, out any) *apiError {
	data, err := json.Marshal(body)
	if err != nil {
		return &apiError{Status: http.StatusInternalServerError, Type: "other", Message: err.Error()}
	}
	if pinPrefix != "" {
		sd.s.pinned = map[string]string{pinPrefix: pinID}
	}
	defer func() { sd.s.pinned = nil }()
	status, v := h(&call{Call: &platform.Call{Request: sd.r, Params: params, Body: data, Now: sd.now}})
	if e, ok := v.(*apiError); ok {
		return e
	}
	if status != http.StatusOK {
		return &apiError{Status: http.StatusInternalServerError, Type: "other", Message: fmt.Sprintf("HTTP %d", status)}
	}
	if _, unused := sd.s.pinned[pinPrefix]; pinPrefix != "" && unused {
		return &apiError{Status: http.StatusInternalServerError, Type: "other", Message: "the fixed Id was not used"}
	}
	// Round-trip through JSON: the handler's value may point into the state.
	raw, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(raw, out)
	}
	if err != nil {
		return &apiError{Status: http.StatusInternalServerError, Type: "other", Message: err.Error()}
	}
	return nil
}

// diffs collects the differences between a seed object and the existing one.
type diffs []string

// str records a difference when want is declared (not empty) and differs.
func (d *diffs) str(field, want, got string) {
	if want != "" && want != got {
		*d = append(*d, fmt.Sprintf("%s is %q, the seed says %q", field, got, want))
	}
}

// num records a difference of two numbers.
func (d *diffs) num(field string, want, got int64) {
	if want != got {
		*d = append(*d, fmt.Sprintf("%s is %d, the seed says %d", field, got, want))
	}
}
