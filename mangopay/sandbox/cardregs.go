package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
)

// cardRegRec is a stored card registration. URLToken is the "token" inside
// its tokenization URL.
type cardRegRec struct {
	Seq      int64                     `json:"Seq"`
	R        mangopay.CardRegistration `json:"R"`
	URLToken string                    `json:"URLToken"`
}

// cardTokenRec is what the tokenizer answered with "data=<Data>": the card
// data waiting for PUT /cardregistrations/{id}. It is used once.
type cardTokenRec struct {
	Seq     int64  `json:"Seq"`
	Data    string `json:"Data"`
	RegID   string `json:"RegID"`
	Number  string `json:"Number"`
	Expiry  string `json:"Expiry"`
	CVV     string `json:"CVV"`
	Created int64  `json:"Created"` // Unix seconds
	Used    bool   `json:"Used"`
}

// tokenTTL is how long a registration can be tokenized and a token used
// (the tokenizer's "delay exceeded" message mentions 20 minutes).
const tokenTTL = 20 * time.Minute

var cardTypes = map[string]bool{"CB_VISA_MASTERCARD": true, "AMEX": true, "MAESTRO": true, "BCMC": true}

func (s *Server) putCardReg(r *cardRegRec) {
	s.st.putCardReg(r)
	s.save("cardreg", r.R.Id, r)
}

func (st *state) putCardReg(r *cardRegRec) {
	st.seen(r.Seq)
	st.cardRegs.put(r.R.Id, r.Seq, r)
	st.regByURL[r.URLToken] = r.R.Id
}

func (s *Server) putCardToken(t *cardTokenRec) {
	s.st.seen(t.Seq)
	s.st.cardToks.put(t.Data, t.Seq, t)
	s.save("cardtoken", t.Data, t)
}

// createCardReg is POST /cardregistrations.
func (s *Server) createCardReg(c *call) (int, any) {
	var req struct{ UserId, Currency, CardType, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	var uid, cur, cardType, tag string
	setStr(&uid, req.UserId)
	setStr(&cur, req.Currency)
	setStr(&cardType, req.CardType)
	setStr(&tag, req.Tag)
	cur, cardType = strings.ToUpper(cur), strings.ToUpper(cardType)
	f := fieldErrs{}
	if uid == "" {
		f.required("UserId")
	}
	switch {
	case cur == "":
		f.required("Currency")
	case !s.currencyEnabled(cur):
		f.add("Currency", fmt.Sprintf("Currency: The currency %s is not available", cur))
	}
	if cardType == "" {
		cardType = "CB_VISA_MASTERCARD"
	} else if !cardTypes[cardType] {
		f.add("CardType", fmt.Sprintf("The value %s is not valid for CardType.", cardType))
	}
	checkLen(f, "Tag", tag, false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if _, e := s.user(uid); e != nil {
		return c.fail(e)
	}
	urlTok := randomAlnum(16)
	blob, _ := json.Marshal(map[string]string{"client": s.opts.ClientID, "token": urlTok})
	rec := &cardRegRec{Seq: s.st.nextSeq(), URLToken: urlTok, R: mangopay.CardRegistration{
		Id: s.newID("cardreg_m_"), Tag: mangopay.NullString(tag), CreationDate: c.Now.Unix(), UserId: uid,
		AccessKey: randomAlnum(20), PreregistrationData: randomAlnum(96), CardType: cardType, Currency: cur,
		CardRegistrationURL: s.publicURL(c.Request) + "/tokenize/" + base64.RawURLEncoding.EncodeToString(blob),
		Status:              "CREATED",
	}}
	s.putCardReg(rec)
	return 200, &rec.R
}

// getCardReg is GET /cardregistrations/{id}.
func (s *Server) getCardReg(c *call) (int, any) {
	r, ok := s.st.cardRegs.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("CardRegistration", c.Params["id"]))
	}
	return 200, &r.R
}

// regErrors maps tokenizer error codes to registration ResultCodes.
var regErrors = map[string][2]string{
	"02625": {"105202", "Card number: invalid format"},
	"02626": {"105203", "Expiry date: missing or invalid format"},
	"02627": {"105204", "CVV: missing or invalid format"},
	"02628": {"105205", "Callback URL: Invalid format"},
}

// updateCardReg is PUT /cardregistrations/{id} with the tokenizer's answer
// in RegistrationData. Every outcome is HTTP 200: VALIDATED with a new Card,
// or ERROR with a ResultCode. Read-only fields (Status, AccessKey, ...) are
// ignored. A registration that is no longer CREATED cannot be finished
// again (400 invalid_action; MANGOPAY's answer is unconfirmed).
func (s *Server) updateCardReg(c *call) (int, any) {
	r, ok := s.st.cardRegs.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("CardRegistration", c.Params["id"]))
	}
	var req struct{ RegistrationData, CardHolderName *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	holder := ""
	setStr(&holder, req.CardHolderName)
	if req.CardHolderName != nil {
		if e := checkCardHolderName(holder); e != nil {
			return c.fail(e)
		}
	}
	if req.RegistrationData == nil || *req.RegistrationData == "" {
		return c.fail(errRequired("RegistrationData"))
	}
	if r.R.Status != "CREATED" {
		return c.fail(errAction("invalid_action", "The card registration has already been processed"))
	}
	data := strings.TrimSpace(*req.RegistrationData)
	nr := *r
	nr.R.RegistrationData = mangopay.NullString(data)
	code, msg := s.finishRegistration(c, &nr, data, holder)
	if code != mangopay.ResultSuccess {
		nr.R.Status = "ERROR"
	} else {
		nr.R.Status = "VALIDATED"
	}
	nr.R.ResultCode, nr.R.ResultMessage = mangopay.NullString(code), mangopay.NullString(msg)
	s.putCardReg(&nr)
	return 200, &nr.R
}

// finishRegistration reads RegistrationData and, for a good token, creates
// the card. It returns the registration's ResultCode and ResultMessage.
func (s *Server) finishRegistration(c *call, r *cardRegRec, data, holder string) (string, string) {
	if code, ok := strings.CutPrefix(data, "errorCode="); ok {
		if m, ok := regErrors[code]; ok {
			return m[0], m[1]
		}
		return "105299", "Token input Error"
	}
	tokData, ok := strings.CutPrefix(data, "data=")
	if !ok || tokData == "" {
		return "105206", "Registration data : Invalid format"
	}
	t, ok := s.st.cardToks.get(tokData)
	if !ok {
		if validTokenShape(tokData) {
			return "105299", "Token input Error"
		}
		return "105206", "Registration data : Invalid format"
	}
	if t.Used || t.RegID != r.R.Id || c.Now.Unix()-t.Created > int64(tokenTTL/time.Second) {
		return "105299", "Token input Error"
	}
	nt := *t
	nt.Used = true
	s.putCardToken(&nt)
	card := s.newCard(c.Now, r, &nt, holder)
	r.R.CardId = mangopay.NullString(card.C.Id)
	return mangopay.ResultSuccess, "Success"
}

// validTokenShape accepts what looks like a tokenizer answer.
func validTokenShape(v string) bool {
	for _, ch := range v {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_') {
			return false
		}
	}
	return len(v) >= 16
}
