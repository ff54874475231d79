package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"settle/internal/checksum"
	"settle/mangopay/sandbox/internal/platform"
)

// The tokenizer stands in for pci.sandbox.mangopay.com: the browser (or a
// test) form-posts the card to the CardRegistrationURL, without
// authentication and across origins, and gets a plain-text answer to hand
// back unchanged as RegistrationData: "data=<opaque>" or "errorCode=<5 digits>".

// registerPublic mounts the unauthenticated routes the sandbox serves
// itself: tokenization under /tokenize/ and the hosted pages (pages.go).
func (s *Server) registerPublic(mux *http.ServeMux) {
	mux.HandleFunc("/tokenize/", s.serveTokenize)
	mux.HandleFunc("/3ds/", s.serveThreeDS)
	mux.HandleFunc("/pay/", s.servePayPage)
	mux.HandleFunc("/sca/", s.serveSCA)
	mux.HandleFunc("/sca/recipients/", s.serveRecipientSCA)
	mux.HandleFunc("/sca/transfers/", s.serveTransferSCA)
	mux.HandleFunc("/sca/wallets/", s.serveWalletSCA)
	mux.HandleFunc("/idv/", s.serveIDV)
}

// serveTokenize is POST <public>/tokenize/<base64 {"client","token"}>.
func (s *Server) serveTokenize(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, X-Requested-With")
	h.Set("Access-Control-Max-Age", "86400")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodPost {
		platform.WriteText(w, "errorCode=02632")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		platform.WriteText(w, "errorCode=02101")
		return
	}
	urlTok := tokenOfPath(strings.TrimPrefix(r.URL.Path, "/tokenize/"))
	var answer string
	if s.api.Commit(func(now time.Time) { answer = s.tokenize(now, urlTok, r.PostForm) }) != nil {
		answer = "errorCode=02101"
	}
	platform.WriteText(w, answer)
}

// tokenOfPath decodes the base64 JSON of a tokenization URL.
func tokenOfPath(p string) string {
	p = strings.Trim(p, "/")
	var blob []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if blob, err = enc.DecodeString(p); err == nil {
			break
		}
	}
	if err != nil {
		return ""
	}
	var v struct{ Token string }
	if json.Unmarshal(blob, &v) != nil {
		return ""
	}
	return v.Token
}

// tokenize checks the posted card against its registration and answers.
// Called with s.mu held.
func (s *Server) tokenize(now time.Time, urlTok string, form map[string][]string) string {
	get := func(names ...string) string {
		for _, n := range names {
			if v := form[n]; len(v) > 0 {
				return strings.TrimSpace(v[0])
			}
		}
		return ""
	}
	reg, ok := s.st.cardRegs.get(s.st.regByURL[urlTok])
	if !ok || urlTok == "" {
		return "errorCode=09101"
	}
	if get("data") != reg.R.PreregistrationData || get("accessKeyRef", "accessKey") != reg.R.AccessKey {
		return "errorCode=09101"
	}
	if reg.R.Status != "CREATED" || now.Unix()-reg.R.CreationDate > int64(tokenTTL/time.Second) {
		return "errorCode=02631"
	}
	number := strings.ReplaceAll(strings.ReplaceAll(get("cardNumber"), " ", ""), "-", "")
	expiry, cvv := get("cardExpirationDate"), get("cardCvx")
	amex := reg.R.CardType == "AMEX" || strings.HasPrefix(number, "34") || strings.HasPrefix(number, "37")
	switch {
	case !luhn(number):
		return "errorCode=02625"
	case !futureMMYY(expiry, now):
		return "errorCode=02626"
	case !validCVV(cvv, amex):
		return "errorCode=02627"
	}
	t := &cardTokenRec{Seq: s.st.nextSeq(), Data: randomAlnum(128), RegID: reg.R.Id, Number: number,
		Expiry: expiry, CVV: cvv, Created: now.Unix()}
	s.putCardToken(t)
	return "data=" + t.Data
}

// luhn checks a 12 to 19 digit card number.
func luhn(n string) bool { return len(n) >= 12 && len(n) <= 19 && checksum.Luhn(n) }

// futureMMYY accepts an MMYY expiry no earlier than the current month.
func futureMMYY(v string, now time.Time) bool {
	if len(v) != 4 {
		return false
	}
	mm, err1 := strconv.Atoi(v[:2])
	yy, err2 := strconv.Atoi(v[2:])
	if err1 != nil || err2 != nil || mm < 1 || mm > 12 {
		return false
	}
	y, m, _ := now.UTC().Date()
	year := 2000 + yy
	return year > y || year == y && time.Month(mm) >= m
}

// validCVV wants 3 digits, 4 for AMEX.
func validCVV(v string, amex bool) bool {
	want := 3
	if amex {
		want = 4
	}
	if len(v) != want {
		return false
	}
	for _, ch := range v {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}
