package mangopay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

const (
	canaryKey   = "CANARY-api-key-7f3a9c"
	canaryToken = "c0ffee00c0ffee00c0ffee00c0ffee00"
)

// TestRedaction drives successes, API errors, retries and transport
// errors with a canary API key and token, logging at Debug, and checks
// that neither canary appears in the logs, the errors, or any printed
// form of the configuration and client.
func TestRedaction(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	calls := 0
	c, srv := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2.01/oauth/token" {
			writeJSON(w, 200, Token{AccessToken: canaryToken, TokenType: "bearer", ExpiresIn: 1200})
			return
		}
		calls++
		switch {
		case calls == 1:
			writeJSON(w, 401, map[string]any{"Type": "invalid_credentials", "Message": "The authorization credentials are not valid"})
		case strings.Contains(r.URL.Path, "missing"):
			writeJSON(w, 404, map[string]any{"Type": TypeNotFound, "Message": "The ressource does not exist"})
		case strings.Contains(r.URL.Path, "flaky") && calls%2 == 0:
			writeJSON(w, 503, nil)
		default:
			writeJSON(w, 200, Wallet{Id: "w1"})
		}
	}), func(cfg *Config) { cfg.Auth, cfg.APIKey, cfg.Logger = AuthOAuth, canaryKey, logger })

	ctx := context.Background()
	var errs []error
	for _, id := range []string{"w1", "missing", "flaky", "flaky"} {
		if _, err := c.Wallets.Get(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	_, err := c.Transfers.Create(ctx, &TransferCreateParams{Params: Params{IdempotencyKey: "bad"}})
	errs = append(errs, err)
	srv.Close()
	_, err = c.Wallets.Get(ctx, "after-close")
	errs = append(errs, err)

	cfg := Config{ClientID: "cid", APIKey: canaryKey}
	logger.Info("config", "cfg", cfg, "key", cfg.APIKey, "client", c)
	js, _ := json.Marshal(cfg)
	var out strings.Builder
	out.Write(logs.Bytes())
	out.Write(js)
	fmt.Fprintf(&out, "%v %+v %#v %s %q %v %+v %#v %v %+v", cfg, cfg, cfg, cfg.APIKey, cfg.APIKey, c, c, c, *c, *c)
	for _, e := range errs {
		if e == nil {
			t.Errorf("expected an error")
			continue
		}
		out.WriteString(e.Error())
	}
	for _, canary := range []string{canaryKey, canaryToken} {
		if strings.Contains(out.String(), canary) {
			t.Errorf("canary %q leaked:\n%s", canary, out.String())
		}
	}
	if !strings.Contains(logs.String(), `"msg":"mangopay request"`) || !strings.Contains(logs.String(), `"msg":"mangopay retry"`) {
		t.Errorf("expected Debug attempt and Warn retry records, got:\n%s", logs.String())
	}
}
