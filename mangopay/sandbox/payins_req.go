package sandbox

import (
	"encoding/json"
	"fmt"
	"net"
	"regexp"
	"strings"

	"settle/internal/apirules"
	"settle/mangopay"
)

// payinReq is the body of POST /payins/card/direct; pointers tell which
// fields were sent. PaymentType and ExecutionType are ignored.
type payinReq struct {
	AuthorId             *string
	CreditedUserId       *string
	CreditedWalletId     *string
	DebitedFunds         *mangopay.Money
	Fees                 *mangopay.Money
	CardId               *string
	SecureModeReturnURL  *string
	SecureMode           *string
	BrowserInfo          *browserReq
	IpAddress            *string
	StatementDescriptor  *string
	Culture              *string
	Billing              *mangopay.BillingShipping
	Shipping             *mangopay.BillingShipping
	PreferredCardNetwork *string
	PaymentCategory      *string
	Tag                  *string
}

// browserReq is BrowserInfo with presence; TimeZoneOffset is read
// leniently (the SDK tests send the string "+60").
type browserReq struct {
	AcceptHeader      *string
	JavaEnabled       *bool
	Language          *string
	ColorDepth        *int
	ScreenHeight      *int
	ScreenWidth       *int
	TimeZoneOffset    json.RawMessage
	UserAgent         *string
	JavascriptEnabled *bool
}

var (
	colorDepths  = map[int]bool{1: true, 4: true, 8: true, 15: true, 16: true, 24: true, 30: true, 32: true, 48: true}
	secureModes  = map[string]bool{"DEFAULT": true, "FORCE": true, "NO_CHOICE": true}
	networks     = map[string]bool{"VISA": true, "MASTERCARD": true, "CB": true, "MAESTRO": true}
	categories   = map[string]string{"ECOMMERCE": "ECommerce", "TELEPHONEORDER": "TelephoneOrder"}
	descriptorRe = regexp.MustCompile(`^[A-Za-z0-9 ]{1,10}$`)
)

// view turns the browser info into the wire type, validating it into f.
func (b *browserReq) view(f fieldErrs) *mangopay.BrowserInfo {
	if b == nil {
		f.required("BrowserInfo")
		return nil
	}
	v := &mangopay.BrowserInfo{}
	str := func(name string, p *string, dst *string, max int) {
		if p == nil || *p == "" {
			f.required("BrowserInfo." + name)
			return
		}
		*dst = *p
		checkLen(f, "BrowserInfo."+name, *p, true, max)
	}
	str("AcceptHeader", b.AcceptHeader, &v.AcceptHeader, 2048)
	str("Language", b.Language, &v.Language, 6)
	str("UserAgent", b.UserAgent, &v.UserAgent, apirules.TextMax)
	switch {
	case b.ColorDepth == nil:
		f.required("BrowserInfo.ColorDepth")
	case !colorDepths[*b.ColorDepth]:
		f.add("BrowserInfo.ColorDepth", "The field ColorDepth must be one of 1, 4, 8, 15, 16, 24, 30, 32, 48.")
	default:
		v.ColorDepth = *b.ColorDepth
	}
	for name, p := range map[string]*int{"ScreenHeight": b.ScreenHeight, "ScreenWidth": b.ScreenWidth} {
		if p == nil {
			f.required("BrowserInfo." + name)
		}
	}
	if b.ScreenHeight != nil {
		v.ScreenHeight = *b.ScreenHeight
	}
	if b.ScreenWidth != nil {
		v.ScreenWidth = *b.ScreenWidth
	}
	if b.JavaEnabled != nil {
		v.JavaEnabled = *b.JavaEnabled
	}
	if b.JavascriptEnabled != nil {
		v.JavascriptEnabled = *b.JavascriptEnabled
	}
	var tz mangopay.FlexInt
	if len(b.TimeZoneOffset) > 0 && json.Unmarshal(b.TimeZoneOffset, &tz) == nil {
		v.TimeZoneOffset = tz
	}
	return v
}

// checkPayin validates the body; it returns the normalized SecureMode,
// PaymentCategory and BrowserInfo.
func checkPayin(f fieldErrs, r *payinReq) (mode, category string, browser *mangopay.BrowserInfo) {
	for name, p := range map[string]*string{"AuthorId": r.AuthorId, "CreditedWalletId": r.CreditedWalletId,
		"CardId": r.CardId, "SecureModeReturnURL": r.SecureModeReturnURL, "IpAddress": r.IpAddress} {
		if p == nil || strings.TrimSpace(*p) == "" {
			f.required(name)
		}
	}
	checkMoney(f, "DebitedFunds", r.DebitedFunds, 0)
	checkMoney(f, "Fees", r.Fees, 0)
	if r.SecureModeReturnURL != nil {
		checkLen(f, "SecureModeReturnURL", *r.SecureModeReturnURL, false, apirules.TextMax)
	}
	if r.IpAddress != nil && *r.IpAddress != "" && net.ParseIP(strings.TrimSpace(*r.IpAddress)) == nil {
		f.add("IpAddress", "The field IpAddress must be a valid IPv4 or IPv6 address.")
	}
	mode = checkSecureMode(f, r.SecureMode)
	category = "ECommerce"
	if r.PaymentCategory != nil && *r.PaymentCategory != "" {
		if category = categories[strings.ToUpper(*r.PaymentCategory)]; category == "" {
			f.add("PaymentCategory", fmt.Sprintf("The value %s is not valid for PaymentCategory.", *r.PaymentCategory))
		}
	}
	checkDescriptor(f, r.StatementDescriptor)
	if r.PreferredCardNetwork != nil && *r.PreferredCardNetwork != "" && !networks[strings.ToUpper(*r.PreferredCardNetwork)] {
		f.add("PreferredCardNetwork", fmt.Sprintf("The value %s is not valid for PreferredCardNetwork.", *r.PreferredCardNetwork))
	}
	if r.Tag != nil {
		checkLen(f, "Tag", *r.Tag, false, apirules.TextMax)
	}
	browser = r.BrowserInfo.view(f)
	return mode, category, browser
}

// checkSecureMode validates the SecureMode of a card pay-in, direct or
// web, and returns it upper-cased: DEFAULT when absent.
func checkSecureMode(f fieldErrs, v *string) string {
	if v == nil || *v == "" {
		return "DEFAULT"
	}
	mode := strings.ToUpper(*v)
	if !secureModes[mode] {
		f.add("SecureMode", fmt.Sprintf("The value %s is not valid for SecureMode.", *v))
	}
	return mode
}

// checkDescriptor validates the StatementDescriptor of a card pay-in.
func checkDescriptor(f fieldErrs, v *string) {
	if v != nil && *v != "" && !descriptorRe.MatchString(*v) {
		f.add("StatementDescriptor", "The field StatementDescriptor may hold at most 10 letters, digits and spaces.")
	}
}

// withTransactionID appends transactionId=<id> to a return URL.
func withTransactionID(u, id string) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "transactionId=" + id
}

// billingOf fills Billing and Shipping from each other, then from the author.
func billingOf(r *payinReq, author *userRec) (*mangopay.BillingShipping, *mangopay.BillingShipping) {
	def := &mangopay.BillingShipping{}
	if n := author.Natural; n != nil {
		def.FirstName, def.LastName, def.Address = n.FirstName, n.LastName, n.Address
	} else {
		l := author.Legal
		def.FirstName, def.LastName, def.Address = l.LegalRepresentativeFirstName, l.LegalRepresentativeLastName, l.HeadquartersAddress
	}
	billing, shipping := r.Billing, r.Shipping
	if billing == nil {
		billing = shipping
	}
	if shipping == nil {
		shipping = billing
	}
	if billing == nil {
		billing, shipping = def, def
	}
	return billing, shipping
}
