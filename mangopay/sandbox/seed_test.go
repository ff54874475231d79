package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"settle/mangopay"
)

// Fixed Ids of the seed tests.
const (
	sPayer   = "user_m_01SEEDPAYER"
	sOwner   = "user_m_01SEEDOWNER"
	sPayerW  = "wlt_m_01SEEDPAYER"
	sOwnerW  = "wlt_m_01SEEDOWNER"
	sBank    = "ba_m_01SEEDOWNER"
	sCard    = "card_m_01SEEDPAYER"
	sPayin1  = "payin_m_01SEEDPAYER1"
	sPayin2  = "payin_m_01SEEDPAYER2"
	sXfer    = "xfer_m_01SEEDPAYER"
	testVisa = "4970107111111119"
)

// seedDoc is a document with every kind: a natural payer with a card, two
// pay-ins (by card Id and by card number) and a transfer to a legal
// owner's wallet, which has an IBAN account.
func seedDoc() map[string]any {
	return map[string]any{
		"currency": "EUR",
		"users": map[string]any{
			sPayer: map[string]any{"type": "natural", "category": "payer", "first_name": "Paul", "last_name": "Renaud",
				"email": "paul@example.org"},
			sOwner: map[string]any{"type": "legal", "category": "owner", "legal_person_type": "BUSINESS", "name": "Verde SAS",
				"company_number": "85234567800014", "email": "contact@verde.example.org",
				"address": map[string]any{"line1": "27 avenue Jean Jaures", "city": "Toulouse", "postal_code": "31000", "country": "FR"},
				"legal_representative": map[string]any{"first_name": "Lucie", "last_name": "Garnier", "birthday": "1976-05-30",
					"nationality": "FR", "country_of_residence": "FR"}},
		},
		"wallets": map[string]any{
			sPayerW: map[string]any{"owner": sPayer},
			sOwnerW: map[string]any{"owner": sOwner, "description": "Green roofs"},
		},
		"bank_accounts": map[string]any{sBank: map[string]any{"owner": sOwner, "iban": "FR7630004000031234567890143", "bic": "BNPAFRPP"}},
		"cards":         map[string]any{sCard: map[string]any{"user": sPayer, "number": testVisa, "expiry": "08/39", "cvx": "147"}},
		"payins": map[string]any{
			sPayin1: map[string]any{"wallet": sPayerW, "card": sCard, "amount": 4000},
			sPayin2: map[string]any{"wallet": sPayerW, "card_number": 5017670000006700, "amount": 2000, "fees": 100},
		},
		"transfers": map[string]any{sXfer: map[string]any{"from": sPayerW, "to": sOwnerW, "amount": 2500, "fees": 50}},
	}
}

// seed POSTs doc to /sandbox/seed and returns the status and decoded body.
func (x *sbx) seed(doc any) (int, map[string]any) {
	x.t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		x.t.Fatal(err)
	}
	resp, err := x.ts.Client().Post(x.ts.URL+"/sandbox/seed", "application/json", bytes.NewReader(data))
	if err != nil {
		x.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		x.t.Fatalf("POST /sandbox/seed: decode: %v", err)
	}
	return resp.StatusCode, m
}

// actions returns "kind id action" for each object of a seed answer.
func actions(m map[string]any) []string {
	var out []string
	objs, _ := m["Objects"].([]any)
	for _, o := range objs {
		om := o.(map[string]any)
		out = append(out, om["Kind"].(string)+" "+om["Id"].(string)+" "+om["Action"].(string))
	}
	return out
}

func TestSeedCreatesAsTheAPI(t *testing.T) {
	x := newSbx(t, Options{})
	status, m := x.seed(seedDoc())
	if status != 200 {
		t.Fatalf("POST /sandbox/seed = %d %v", status, m)
	}
	want := []string{"user " + sOwner + " created", "user " + sPayer + " created", "wallet " + sOwnerW + " created",
		"wallet " + sPayerW + " created", "bank_account " + sBank + " created", "card " + sCard + " created",
		"payin " + sPayin1 + " created", "payin " + sPayin2 + " created", "transfer " + sXfer + " created"}
	if got := actions(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("objects = %q, want %q", got, want)
	}
	var payer mangopay.NaturalUser
	x.ok("GET", "/users/natural/"+sPayer, nil, &payer)
	if payer.UserCategory != "PAYER" || payer.KYCLevel != "LIGHT" || payer.FirstName != "Paul" || !payer.TermsAndConditionsAccepted {
		t.Errorf("seeded payer = %+v", payer)
	}
	var owner mangopay.LegalUser
	x.ok("GET", "/users/legal/"+sOwner, nil, &owner)
	if owner.UserCategory != "OWNER" || owner.TermsAndConditionsAcceptedDate == nil || owner.LegalRepresentativeBirthday == nil {
		t.Errorf("seeded owner = %+v", owner)
	}
	var p1, p2 mangopay.PayIn
	x.ok("GET", "/payins/"+sPayin1, nil, &p1)
	x.ok("GET", "/payins/"+sPayin2, nil, &p2)
	if p1.Status != "SUCCEEDED" || p1.CardId != sCard || p1.AuthorId != sPayer || p1.CreditedFunds.Amount != 4000 {
		t.Errorf("pay-in 1 = %+v", p1)
	}
	if p2.Status != "SUCCEEDED" || p2.CardId == sCard || p2.CreditedFunds.Amount != 1900 {
		t.Errorf("pay-in 2 = %+v", p2)
	}
	var ba mangopay.BankAccount
	x.ok("GET", "/users/"+sOwner+"/bankaccounts/"+sBank, nil, &ba)
	if ba.OwnerName != "Verde SAS" || ba.OwnerAddress.City != "Toulouse" || !ba.Active {
		t.Errorf("bank account (holder defaults to the owner) = %+v", ba)
	}
	if got, want := x.balance(sPayerW), int64(4000+1900-2500); got != want {
		t.Errorf("payer wallet = %d, want %d", got, want)
	}
	if got := x.balance(sOwnerW); got != 2450 {
		t.Errorf("owner wallet = %d, want 2450", got)
	}
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=PAYIN_NORMAL_SUCCEEDED", nil, &events)
	if len(events) != 2 {
		t.Errorf("PAYIN_NORMAL_SUCCEEDED events = %d, want 2", len(events))
	}
	x.checkLedger()

	before := snapshotJSON(t, x.s)
	status, m = x.seed(seedDoc())
	if status != 200 {
		t.Fatalf("second POST /sandbox/seed = %d %v", status, m)
	}
	for _, a := range actions(m) {
		if !strings.HasSuffix(a, " unchanged") {
			t.Errorf("second seed: %s, want unchanged", a)
		}
	}
	if after := snapshotJSON(t, x.s); !reflect.DeepEqual(before, after) {
		t.Errorf("a second seed changed the state")
	}
}

func TestSeedConflictCreatesNothing(t *testing.T) {
	x := newSbx(t, Options{})
	if status, m := x.seed(seedDoc()); status != 200 {
		t.Fatalf("seed = %d %v", status, m)
	}
	before := snapshotJSON(t, x.s)
	doc := seedDoc()
	doc["users"].(map[string]any)[sPayer].(map[string]any)["first_name"] = "Pierre"
	doc["payins"].(map[string]any)[sPayin2].(map[string]any)["amount"] = 2500
	doc["wallets"].(map[string]any)["wlt_m_01NEW"] = map[string]any{"owner": sPayer}
	status, m := x.seed(doc)
	if status != http.StatusConflict || m["Type"] != "seed_conflict" {
		t.Fatalf("conflicting seed = %d %v, want 409 seed_conflict", status, m)
	}
	if msg := fieldErr(m, "users."+sPayer); !strings.Contains(msg, `FirstName is "Paul", the seed says "Pierre"`) {
		t.Errorf("user conflict = %q", msg)
	}
	if msg := fieldErr(m, "payins."+sPayin2); !strings.Contains(msg, "DebitedFunds.Amount is 2000, the seed says 2500") {
		t.Errorf("pay-in conflict = %q", msg)
	}
	if after := snapshotJSON(t, x.s); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused seed changed the state")
	}
}

func TestSeedRefusesInvalidDocuments(t *testing.T) {
	payin := func(p map[string]any) map[string]any {
		return map[string]any{"currency": "EUR",
			"users":   map[string]any{sPayer: map[string]any{"type": "natural", "category": "payer", "first_name": "P", "last_name": "R", "email": "p@example.org"}},
			"wallets": map[string]any{sPayerW: map[string]any{"owner": sPayer}},
			"cards":   map[string]any{sCard: map[string]any{"user": sPayer, "number": testVisa, "cvx": "999"}},
			"payins":  map[string]any{sPayin1: p}}
	}
	tests := []struct {
		name, key, want string
		doc             any
	}{
		{"bad Id", "users.u1", "user_m_ followed by", map[string]any{"users": map[string]any{"u1": map[string]any{"type": "natural", "category": "payer"}}}},
		{"unknown owner", "wallets." + sPayerW + ".owner", "neither in the sandbox nor in the seed",
			map[string]any{"wallets": map[string]any{sPayerW: map[string]any{"owner": "user_m_NOPE", "currency": "EUR"}}}},
		{"test amount", "payins." + sPayin1 + ".amount", "test amount", payin(map[string]any{"wallet": sPayerW, "card_number": testVisa, "amount": 33305})},
		{"challenge card", "payins." + sPayin1 + ".card_number", "3DS challenge", payin(map[string]any{"wallet": sPayerW, "card_number": "4970105181818183", "amount": 100})},
		{"failing CVV", "payins." + sPayin1 + ".card", "makes pay-ins fail", payin(map[string]any{"wallet": sPayerW, "card": sCard, "amount": 100})},
		{"card and number", "payins." + sPayin1 + ".card", "not both", payin(map[string]any{"wallet": sPayerW, "amount": 100})},
		{"fees above amount", "payins." + sPayin1 + ".fees", "below the amount", payin(map[string]any{"wallet": sPayerW, "card_number": testVisa, "amount": 100, "fees": 100})},
		{"unknown field", "Body", `users.` + sPayer + `: json: unknown field "frist_name"`, map[string]any{"users": map[string]any{sPayer: map[string]any{"frist_name": "P"}}}},
		{"API refusal", "users." + sPayer + ".Email", "must match", map[string]any{"users": map[string]any{sPayer: map[string]any{"type": "natural", "category": "payer",
			"first_name": "P", "last_name": "R", "email": "not-an-email"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			status, m := x.seed(tt.doc)
			if status != 400 {
				t.Fatalf("seed = %d %v, want 400", status, m)
			}
			if msg := fieldErr(m, tt.key); !strings.Contains(msg, tt.want) {
				t.Errorf("errors[%s] = %q, want it to contain %q (body %v)", tt.key, msg, tt.want, m)
			}
			if n := len(x.s.st.users.order.ids) + len(x.s.st.payins.order.ids); n != 0 {
				t.Errorf("a refused seed created %d users and pay-ins", n)
			}
		})
	}
}

func TestSeedTransferNeedsTheMoney(t *testing.T) {
	x := newSbx(t, Options{})
	doc := seedDoc()
	doc["transfers"].(map[string]any)[sXfer].(map[string]any)["amount"] = 99999
	status, m := x.seed(doc)
	if status != 400 || m["Type"] != "seed_not_succeeded" {
		t.Fatalf("seed = %d %v, want 400 seed_not_succeeded", status, m)
	}
	x.fails("GET", "/transfers/"+sXfer, nil, 404, "ressource_not_found")
	x.checkLedger()
}

// TestSeedPersists seeds through the Go API on a state folder, restarts
// the sandbox and checks that everything came back and that seeding again
// changes nothing.
func TestSeedPersists(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	data, _ := json.Marshal(seedDoc())
	doc, err := ParseSeed(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.s.Seed(context.Background(), doc); err != nil {
		t.Fatalf("Seed() = %v", err)
	}
	before := snapshotJSON(t, x.s)
	y := x.restart(Options{StateDir: dir})
	s2 := y.s
	if after := snapshotJSON(t, s2); !reflect.DeepEqual(before, after) {
		t.Fatalf("state after restart differs:\nbefore %v\nafter  %v", before, after)
	}
	y.checkLedger()
	res, err := s2.Seed(context.Background(), doc)
	if err != nil || res.Count("unchanged") != 9 || res.Count("created") != 0 {
		t.Fatalf("Seed() after restart = %+v, %v; want 9 unchanged", res, err)
	}
	doc.Users[sPayer] = SeedUser{Type: "natural", Category: "owner", FirstName: "Paul", LastName: "Renaud", Email: "paul@example.org"}
	_, err = s2.Seed(context.Background(), doc)
	var se *SeedError
	if !errors.As(err, &se) || se.Status != 409 || !strings.Contains(se.Error(), `UserCategory is "PAYER", the seed says "OWNER"`) {
		t.Errorf("Seed() with another category = %v, want a 409 SeedError", err)
	}
}
