package sandbox

import (
	"strings"

	"settle/internal/apirules"
	"settle/internal/country"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// bankRec is a stored IBAN bank account.
type bankRec struct {
	Seq int64                `json:"Seq"`
	B   mangopay.BankAccount `json:"B"`
}

// bankReq is the body of POST /users/{id}/bankaccounts[/iban]. Type is
// only read on the generic route; elsewhere it is read-only and ignored.
type bankReq struct {
	Type         *string
	OwnerName    *string
	OwnerAddress *mangopay.Address
	IBAN         *string
	BIC          *string
	Tag          *string
}

func (s *Server) putBank(b *bankRec) {
	s.st.putBank(b)
	s.save("bankaccount", b.B.Id, b)
}

func (st *state) putBank(b *bankRec) {
	st.seen(b.Seq)
	if st.banks.put(b.B.Id, b.Seq, b) {
		st.userBanks.add(b.B.UserId, b.B.Id, b.Seq)
	}
}

// createIBAN is POST /users/{userid}/bankaccounts/iban (any case).
func (s *Server) createIBAN(c *call) (int, any) { return s.createBank(c, false) }

// createBankTyped is POST /users/{userid}/bankaccounts with Type IBAN in the body.
func (s *Server) createBankTyped(c *call) (int, any) { return s.createBank(c, true) }

func (s *Server) createBank(c *call, typed bool) (int, any) {
	if _, e := s.user(c.Params["userid"]); e != nil {
		return c.fail(e)
	}
	var req bankReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	if typed {
		switch {
		case req.Type == nil || *req.Type == "":
			f.required("Type")
		case !strings.EqualFold(*req.Type, "IBAN"):
			f.add("Type", "Only IBAN bank accounts are supported by this sandbox.")
		}
	}
	b := mangopay.BankAccount{UserId: c.Params["userid"], Type: "IBAN", Active: true, CreationDate: c.Now.Unix()}
	req.fill(f, &b)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	b.Id = s.newID("ba_m_")
	rec := &bankRec{Seq: s.st.nextSeq(), B: b}
	s.putBank(rec)
	return 200, &rec.B
}

// fill copies the request into b, validating it into f: IBAN mod-97 and
// length, BIC shape, the owner's name and address.
func (req *bankReq) fill(f fieldErrs, b *mangopay.BankAccount) {
	setStr(&b.OwnerName, req.OwnerName)
	checkLen(f, "OwnerName", b.OwnerName, true, apirules.TextMax)
	if req.OwnerAddress == nil || req.OwnerAddress.IsZero() {
		f.required("OwnerAddress")
	} else {
		b.OwnerAddress = *req.OwnerAddress
		normAddress(&b.OwnerAddress)
		checkAddress(f, "OwnerAddress", b.OwnerAddress, false)
	}
	if req.IBAN != nil {
		b.IBAN = normIBAN(*req.IBAN)
	}
	switch {
	case b.IBAN == "":
		f.required("IBAN")
	case !validIBAN(b.IBAN):
		f.add("IBAN", "The value is not a valid IBAN")
	case country.Blocked(b.IBAN[:2]):
		f.add("IBAN", "The bank account country is blocked")
	}
	setNull(&b.BIC, req.BIC)
	if b.BIC != "" && !validBIC(string(b.BIC)) {
		f.add("BIC", "The value is not a valid BIC")
	}
	setNull(&b.Tag, req.Tag)
	checkLen(f, "Tag", string(b.Tag), false, apirules.TextMax)
}

// userBank finds a bank account of the user in the path.
func (s *Server) userBank(c *call) (*bankRec, *apiError) {
	if _, e := s.user(c.Params["userid"]); e != nil {
		return nil, e
	}
	b, ok := s.st.banks.get(c.Params["id"])
	if !ok || b.B.UserId != c.Params["userid"] {
		return nil, errNotFound("BankAccount", c.Params["id"])
	}
	return b, nil
}

// getBank is GET /users/{userid}/bankaccounts/{id}.
func (s *Server) getBank(c *call) (int, any) {
	b, e := s.userBank(c)
	if e != nil {
		return c.fail(e)
	}
	return 200, &b.B
}

// updateBank is PUT /users/{userid}/bankaccounts/{id} with {"Active":false}.
// Deactivation cannot be undone: asking for Active true on an inactive
// account is a 400 invalid_action (MANGOPAY's answer is unconfirmed).
func (s *Server) updateBank(c *call) (int, any) {
	b, e := s.userBank(c)
	if e != nil {
		return c.fail(e)
	}
	var req struct{ Active *bool }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	switch {
	case req.Active == nil:
		return c.fail(errRequired("Active"))
	case *req.Active && !b.B.Active:
		return c.fail(errAction("invalid_action", "A deactivated bank account cannot be reactivated"))
	case !*req.Active && b.B.Active:
		nb := *b
		nb.B.Active = false
		s.putBank(&nb)
		return 200, &nb.B
	}
	return 200, &b.B
}

// listBanks is GET /users/{userid}/bankaccounts with the Active filter.
func (s *Server) listBanks(c *call) (int, any) {
	if _, e := s.user(c.Params["userid"]); e != nil {
		return c.fail(e)
	}
	active, set, e := c.BoolFilter("Active")
	if e != nil {
		return c.fail(e)
	}
	var out []*mangopay.BankAccount
	for _, id := range s.st.userBanks.ids(c.Params["userid"]) {
		b := s.st.banks.m[id]
		if !set || b.B.Active == active {
			out = append(out, &b.B)
		}
	}
	return 200, platform.NewList(out, func(b *mangopay.BankAccount) int64 { return b.CreationDate })
}
