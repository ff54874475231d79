package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestOAuth(t *testing.T) {
	h := newHarness(t, Config{TokenTTL: 90 * time.Second})
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("grant_type", "client_credentials")
	_ = mw.Close()
	good := "Basic " + base64.StdEncoding.EncodeToString([]byte("sandbox:sandbox-api-key"))
	tests := []struct {
		name, path, auth, ctype, body string
		want                          int
	}{
		{"node form", "/v2.01/oauth/token", good, "application/x-www-form-urlencoded", "grant_type=client_credentials", 200},
		{"python json", "/v2.01/oauth/token", good, "application/x-www-form-urlencoded", `{"grant_type": "client_credentials"}`, 200},
		{"php multipart", "/v2.01/oauth/token/", good, "application/x-www-form-urlencoded", mp.String(), 200},
		{"no body", "/v2.01/oauth/token", good, "", "", 200},
		{"java V2_01 with space", "/V2_01/oauth/token%20", good, "application/x-www-form-urlencoded", "grant_type=client_credentials", 200},
		{"wrong key", "/v2.01/oauth/token", "Basic " + base64.StdEncoding.EncodeToString([]byte("sandbox:nope")), "", "", 401},
		{"no auth", "/v2.01/oauth/token", "", "", "", 401},
		{"garbage auth", "/v2.01/oauth/token", "Basic !!!", "", "", 401},
	}
	hexRe := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", h.ts.URL+tt.path, strings.NewReader(tt.body))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, body := h.send(req)
			if resp.StatusCode != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.want, body)
			}
			m := platformtest.JSONMap(t, body)
			if tt.want != 200 {
				if m["error"] != "invalid_client" || m["error_description"] == nil {
					t.Errorf("body = %s, want invalid_client with error_description", body)
				}
				return
			}
			if tok, _ := m["access_token"].(string); !hexRe.MatchString(tok) {
				t.Errorf("access_token = %q, want 32 hex", tok)
			}
			if m["token_type"] != "bearer" || m["expires_in"] != 90.0 {
				t.Errorf("token_type, expires_in = %v, %v, want bearer, 90", m["token_type"], m["expires_in"])
			}
		})
	}
	resp, _ := h.api("GET", "/v2.01/oauth/token", "")
	if resp.StatusCode != 405 {
		t.Errorf("GET token status = %d, want 405", resp.StatusCode)
	}
}

func TestAuthErrors(t *testing.T) {
	h := newHarness(t, Config{TokenTTL: time.Minute})
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("sandbox:sandbox-api-key"))
	expired := h.token()
	h.clock.Advance(61 * time.Second)
	fresh := h.token()
	tests := []struct {
		name, path, auth string
		want             int
	}{
		{"Bearer", "/v2.01/sandbox/ptest/items", "Bearer " + fresh, 200},
		{"bearer lowercase", "/v2.01/sandbox/ptest/items", "bearer " + fresh, 200},
		{"expired token", "/v2.01/sandbox/ptest/items", "Bearer " + expired, 401},
		{"unknown token", "/v2.01/sandbox/ptest/items", "Bearer 0123456789abcdef0123456789abcdef", 401},
		{"no header", "/v2.01/sandbox/ptest/items", "", 401},
		{"other client id", "/v2.01/someoneelse/ptest/items", "Bearer " + fresh, 401},
		{"basic without option", "/v2.01/sandbox/ptest/items", basic, 401},
		{"unknown route still 401", "/v2.01/sandbox/nothing", "", 401},
		{"no ClientId: 404 before auth", "/v2.01/countries/FR/authorizations", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", h.ts.URL+tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, body := h.send(req)
			if resp.StatusCode != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.want, body)
			}
			if tt.want != 401 {
				return
			}
			m := platformtest.JSONMap(t, body)
			if m["Type"] != "invalid_credentials" || m["Message"] != "The authorization credentials are not valid" {
				t.Errorf("body = %s, want invalid_credentials", body)
			}
			if _, ok := m["Date"].(float64); !ok {
				t.Errorf("Date = %v, want a number", m["Date"])
			}
			for _, k := range []string{"Id", "errors", "Errors"} {
				if _, ok := m[k]; ok {
					t.Errorf("401 body has key %s: %s", k, body)
				}
			}
			if len(resp.Header.Values("X-RateLimit")) == 0 {
				t.Errorf("401 answer has no X-RateLimit header")
			}
		})
	}
	hb := newHarness(t, Config{BasicAuth: true})
	req, _ := http.NewRequest("GET", hb.ts.URL+"/v2.01/sandbox/ptest/items", nil)
	req.Header.Set("Authorization", basic)
	if resp, body := hb.send(req); resp.StatusCode != 200 {
		t.Errorf("Basic with BasicAuth status = %d, want 200 (%s)", resp.StatusCode, body)
	}
}
