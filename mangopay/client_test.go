package mangopay

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

func TestNewClientBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", SandboxURL, true},
		{"https://api.mangopay.com/", ProductionURL, true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://localhost:9000/", "http://localhost:9000", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"http://api.mangopay.com", "", false},
		{"http://10.0.0.1:8080", "", false},
		{"ftp://127.0.0.1", "", false},
		{"https://api.mangopay.com/v2.01/", "", false},
		{"not a url", "", false},
	}
	for _, tt := range tests {
		c, err := NewClient(Config{ClientID: "cid", APIKey: "k", BaseURL: tt.in})
		if (err == nil) != tt.ok {
			t.Errorf("NewClient(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err == nil && c.baseURL != tt.want {
			t.Errorf("NewClient(%q) base = %q, want %q", tt.in, c.baseURL, tt.want)
		}
	}
	if _, err := NewClient(Config{ClientID: "cid"}); err == nil {
		t.Errorf("NewClient() without an API key: no error")
	}
}

func TestRequestShape(t *testing.T) {
	var got *http.Request
	var body map[string]any
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, 200, Wallet{Id: "w1"})
	}), func(cfg *Config) { cfg.UserAgent = "settle/1" })
	_, err := c.Wallets.Create(context.Background(), &WalletCreateParams{
		Params: Params{IdempotencyKey: "wallet-key-000001"}, Owners: []string{"u/1"}, Description: "d", Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"path":            {got.URL.Path, "/v2.01/cid/wallets"},
		"Content-Type":    {got.Header.Get("Content-Type"), "application/json"},
		"Idempotency-Key": {got.Header.Get("Idempotency-Key"), "wallet-key-000001"},
		"User-Agent":      {got.Header.Get("User-Agent"), "settle/1 settle-mangopay-go/" + Version},
		"Currency":        {body["Currency"].(string), "EUR"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if _, ok := body["IdempotencyKey"]; ok {
		t.Errorf("body carries the idempotency key: %v", body)
	}
	if _, err := c.Wallets.Get(context.Background(), "a/b"); err != nil {
		t.Fatal(err)
	}
	if got.URL.EscapedPath() != "/v2.01/cid/wallets/a%2Fb" {
		t.Errorf("escaped path = %q, want the id escaped", got.URL.EscapedPath())
	}
	if _, err := c.Wallets.Create(context.Background(), nil); !errors.Is(err, errNoParams) {
		t.Errorf("Create(nil) error = %v", err)
	}
}

// pagedAPI serves n wallets at GET /users/u1/wallets, MANGOPAY style.
func pagedAPI(n int, queries *[]url.Values) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		mu.Lock()
		*queries = append(*queries, q)
		mu.Unlock()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("per_page"))
		items := []Wallet{}
		for i := (page - 1) * per; i < min(page*per, n); i++ {
			items = append(items, Wallet{Id: "w" + strconv.Itoa(i)})
		}
		w.Header().Set("X-Number-Of-Pages", strconv.Itoa((n+per-1)/per))
		w.Header().Set("X-Number-Of-Items", strconv.Itoa(n))
		writeJSON(w, 200, items)
		io.Copy(io.Discard, r.Body)
	})
}

func TestListIterator(t *testing.T) {
	var queries []url.Values
	c, _ := newTestClient(t, pagedAPI(250, &queries))
	ctx := context.Background()
	all, err := Collect(c.Wallets.ListByUser(ctx, "u1", &ListOptions{Sort: "CreationDate:ASC", Status: []string{"SUCCEEDED", "FAILED"}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 250 || all[0].Id != "w0" || all[249].Id != "w249" {
		t.Errorf("ListByUser() gave %d items, want w0..w249", len(all))
	}
	pages := 0
	for _, q := range queries {
		pages++
		if q.Get("per_page") != "100" || q.Get("page") != strconv.Itoa(pages) ||
			q.Get("Sort") != "CreationDate:ASC" || q.Get("Status") != "SUCCEEDED,FAILED" {
			t.Errorf("page %d query = %v", pages, q)
		}
	}
	if pages != 3 {
		t.Errorf("pages fetched = %d, want 3", pages)
	}

	n := 0
	for _, err := range c.Wallets.ListByUser(ctx, "u1", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 5 {
			break
		}
	}
	p, err := c.Wallets.ListByUserPage(ctx, "u1", &ListOptions{Page: 3, PerPage: 100})
	if err != nil || len(p.Items) != 50 || p.TotalPages != 3 || p.TotalItems != 250 || p.HasNext() {
		t.Errorf("ListByUserPage() = %+v, %v", p, err)
	}
}

func TestListIteratorYieldsError(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"Type": TypeNotFound, "Message": "The ressource does not exist"})
	}))
	_, err := Collect(c.Transactions.ListByWallet(context.Background(), "nope", nil))
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("Collect() error = %v, want ErrNotFound", err)
	}
}

func TestListOptionsValues(t *testing.T) {
	o := &ListOptions{Page: 2, PerPage: 500, BeforeDate: 20, AfterDate: 10, Type: []string{"PAYIN"},
		Nature: []string{"REFUND"}, ResultCode: []string{"000000"}, Active: Bool(false), EventType: "PAYIN_NORMAL_SUCCEEDED"}
	want := "Active=false&AfterDate=10&BeforeDate=20&EventType=PAYIN_NORMAL_SUCCEEDED&Nature=REFUND&ResultCode=000000&Type=PAYIN&page=2&per_page=100"
	if got := o.values().Encode(); got != want {
		t.Errorf("values() = %s, want %s", got, want)
	}
}

func TestTokenizeSendsFormWithoutCredentials(t *testing.T) {
	var form url.Values
	var authz string
	c, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz = r.Header.Get("Authorization")
		r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "errorCode=02625")
	}))
	reg := &CardRegistration{CardRegistrationURL: srv.URL + "/tokenize/abc", AccessKey: "ak", PreregistrationData: "pre"}
	got, err := c.CardRegistrations.Tokenize(context.Background(), reg, "4970107111111119", "1239", "123")
	if err != nil || got != "errorCode=02625" {
		t.Fatalf("Tokenize() = %q, %v; want the raw text", got, err)
	}
	want := url.Values{"data": {"pre"}, "accessKeyRef": {"ak"}, "cardNumber": {"4970107111111119"},
		"cardExpirationDate": {"1239"}, "cardCvx": {"123"}}
	if form.Encode() != want.Encode() || authz != "" {
		t.Errorf("form = %v, Authorization %q; want %v and none", form, authz, want)
	}
	reg.CardRegistrationURL = "http://pci.example.com/tokenize"
	if _, err := c.CardRegistrations.Tokenize(context.Background(), reg, "4970107111111119", "1239", "123"); err == nil {
		t.Errorf("Tokenize() over plain http to a remote host: no error")
	}
}
