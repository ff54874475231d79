package sandbox

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestJSKitFinishRegistration(t *testing.T) {
	h := newSbx(t, Options{})
	payer := h.natural("PAYER")
	reg := h.call(200, "POST", "/cardregistrations", map[string]any{"UserId": payer, "Currency": "EUR"})
	form := url.Values{"data": {reg["PreregistrationData"].(string)}, "accessKeyRef": {reg["AccessKey"].(string)},
		"cardNumber": {"4970107111111119"}, "cardExpirationDate": {"1240"}, "cardCvx": {"123"}}
	resp, err := http.PostForm(reg["CardRegistrationURL"].(string), form)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// No Authorization header: the kit runs in the browser.
	finish := url.Values{"Id": {reg["Id"].(string)}, "RegistrationData": {string(data)}}
	resp, err = http.PostForm(h.ts.URL+"/v2/sandbox/CardRegistrations/"+reg["Id"].(string), finish)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := platformtest.JSONMap(t, body)
	if resp.StatusCode != 200 || m["Status"] != "VALIDATED" || m["ResultCode"] != "000000" {
		t.Errorf("JSKIT finish = %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("no CORS header on the JSKIT answer")
	}
	// Anything else without auth is still 401.
	resp, err = http.Post(h.ts.URL+"/v2.01/sandbox/cardregistrations/"+reg["Id"].(string), "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("JSON POST without auth = %d, want 401", resp.StatusCode)
	}
}
