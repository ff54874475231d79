package mangopay

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// The bodies below are MANGOPAY's documented examples (Recipients API
// reference and release notes, shared/mangopay-2026.md §1).
const (
	recipientCreateBody = `{"ScaContext":"USER_PRESENT","DisplayName":"John Doe EUR DE account","PayoutMethodType":"LocalBankTransfer",
 "RecipientType":"Individual","Currency":"EUR","Country":"DE","Tag":"settle:t/recipient/r","RecipientScope":"PAYOUT",
 "IndividualRecipient":{"FirstName":"John","LastName":"Doe",
  "Address":{"AddressLine1":"Oranienburger Str. 87","City":"Berlin","PostalCode":"10178","Country":"DE"}},
 "LocalBankTransfer":{"EUR":{"IBAN":"DE75512108001245126199"}}}`
	recipientCreated = `{"Id":"rec_01K6D2J3683015F5D3M81JEXRH","Status":"PENDING","CreationDate":1759228005,
 "DisplayName":"John Doe EUR DE account","PayoutMethodType":"LocalBankTransfer","RecipientType":"Individual",
 "Currency":"EUR","Country":"DE","UserId":"user_m_01K5Y4XQA9HESYF8S9V70K16XH","RecipientScope":"PAYOUT","ScaContext":"USER_PRESENT",
 "Tag":"settle:t/recipient/r","IndividualRecipient":{"FirstName":"John","LastName":"Doe",
  "Address":{"AddressLine1":"Oranienburger Str. 87","AddressLine2":null,"City":"Berlin","Region":null,"PostalCode":"10178","Country":"DE"}},
 "LocalBankTransfer":{"EUR":{"IBAN":"DE75512108001245126199","BIC":"SOGEDEFFXXX"}},
 "PendingUserAction":{"RedirectUrl":"https://sca.sandbox.mangopay.com/?token=sca_01999a290f06700b992580d3450609a0"},
 "RecipientVerificationOfPayee":{"RecipientVerificationId":"46fa0ccc-0c7a-4f0e-9d5e-5bb2a6e4d6a1","RecipientVerificationCheck":"MATCH",
  "RecipientVerificationMessage":"Account name fully matches account identifier."}}`
	legacyListed = `[{"Id":"bankacc_m_01JCN1X2EHWG0JNJNPNQ21CW5G","Status":"ACTIVE","DisplayName":null,"PayoutMethodType":"LocalBankTransfer",
 "RecipientType":"Individual","Currency":"EUR","Country":"FR","UserId":"user_m_01K5Y4XQA9HESYF8S9V70K16XH","RecipientScope":"PAYOUT",
 "CreationDate":1731400000,"Tag":null}]`
	recipientSchema = `{"DisplayName":{"Required":true,"MaxLength":50,"MinLength":1,"Pattern":"^(?!.*[&,'/]).{1,50}$","Label":"Display name","EndUserDisplay":"Show"},
 "Currency":{"Required":true,"AllowedValues":["GBP"],"EndUserDisplay":"Hide"},
 "IndividualRecipient":{"FirstName":{"Required":true,"MaxLength":255,"Pattern":"^(?!.*[()&,.:_/]).{1,255}$"},
  "Address":{"City":{"Required":true,"MaxLength":80,"Pattern":"^(?!.*[&,.:_]).{1,80}$"},
   "Region":{"Required":false,"MaxLength":50,"Pattern":"^(?!.*[&,.:_/]).{1,50}$"}}},
 "LocalBankTransfer":{"GBP":{"AccountNumber":{"Required":true,"Pattern":"^\\d{8}$"},"SortCode":{"Required":true,"Pattern":"^\\d{6}$"}}}}`
	recipientInvalid = `{"Id":"a1f3db88-7c0b-4bb5-8b2a-2b0ea4f5a5d1","Message":"One or several required parameters are missing or incorrect. An incorrect resource ID also raises this kind of error.",
 "Type":"param_error","Date":1739182373,"Errors":{"IndividualRecipient.Address.PostalCode":"LENGTH_MORE_THAN_MAX",
 "LocalBankTransfer.GBP.AccountNumber":"INVALID_FORMAT. Regex validation: ^\\d{8}$",
 "LocalBankTransfer.GBP.SortCode":"INVALID_FORMAT. Regex validation: ^\\d{6}$"}}`
)

// johnDoe is the documented create request, as params.
func johnDoe() *RecipientCreateParams {
	return &RecipientCreateParams{Params: Params{IdempotencyKey: "recipient-key-00001"}, ScaContext: ScaUserPresent,
		DisplayName: "John Doe EUR DE account", PayoutMethodType: PayoutLocalBankTransfer, RecipientType: RecipientIndividual,
		Currency: "EUR", Country: "DE", Tag: "settle:t/recipient/r", RecipientScope: ScopePayout,
		IndividualRecipient: &IndividualRecipient{FirstName: "John", LastName: "Doe",
			Address: &AddressParams{AddressLine1: "Oranienburger Str. 87", City: "Berlin", PostalCode: "10178", Country: "DE"}},
		LocalBankTransfer: LocalBankTransfer{"EUR": {IBAN: "DE75512108001245126199"}}}
}

// TestRecipients drives every Recipient endpoint against the documented
// answers and checks the requests' routes, queries and bodies.
func TestRecipients(t *testing.T) {
	api := &fakeAPI{routes: map[string]answer{
		"GET /recipients/payout-methods":                       {200, `{"AvailablePayoutMethods":["LocalBankTransfer","InternationalBankTransfer"]}`, nil},
		"GET /recipients/schema":                               {200, recipientSchema, nil},
		"POST /users/u1/recipients/validate":                   {200, ``, nil},
		"POST /users/u1/recipients":                            {201, recipientCreated, nil},
		"GET /recipients/rec_01K6D2J3683015F5D3M81JEXRH":       {200, recipientCreated, nil},
		"GET /recipients/bankacc_m_01JCN1X2EHWG0JNJNPNQ21CW5G": {200, legacyListed[1 : len(legacyListed)-1], nil},
		"GET /users/u1/recipients":                             {200, legacyListed, nil},
		"PUT /recipients/rec_1":                                {200, `{"Id":"rec_1","Status":"DEACTIVATED"}`, nil},
	}}
	c, _ := newTestClient(t, api)
	ctx := context.Background()

	m, err := c.Recipients.PayoutMethods(ctx, "EUR", "DE")
	if err != nil || !reflect.DeepEqual(m.AvailablePayoutMethods, []string{PayoutLocalBankTransfer, PayoutInternationalBankTransfer}) {
		t.Errorf("PayoutMethods() = %+v, %v", m, err)
	}
	if q := api.last(t, "GET /recipients/payout-methods").query; q.Get("Currency") != "EUR" || q.Get("Country") != "DE" {
		t.Errorf("payout-methods query = %v, want Currency EUR and Country DE", q)
	}

	schema, err := c.Recipients.Schema(ctx, &RecipientSchemaParams{PayoutMethodType: PayoutLocalBankTransfer,
		RecipientType: RecipientIndividual, Currency: "GBP", Country: "GB"})
	if err != nil {
		t.Fatalf("Schema() error = %v", err)
	}
	if f := schema["LocalBankTransfer.GBP.SortCode"]; !f.Required || f.Pattern != `^\d{6}$` {
		t.Errorf("schema SortCode = %+v, want required ^\\d{6}$", f)
	}
	if f := schema["IndividualRecipient.Address.Region"]; f.Required || f.MaxLength != 50 {
		t.Errorf("schema Region = %+v, want optional, max 50", f)
	}
	if f := schema["Currency"]; !reflect.DeepEqual(f.AllowedValues, []string{"GBP"}) || f.EndUserDisplay != "Hide" {
		t.Errorf("schema Currency = %+v", f)
	}
	if len(schema) != 7 {
		t.Errorf("schema has %d fields, want 7: %v", len(schema), schema)
	}
	q := api.last(t, "GET /recipients/schema").query
	if q.Get("PayoutMethodType") != "LocalBankTransfer" || q.Get("RecipientType") != "Individual" || q.Get("Currency") != "GBP" || q.Get("Country") != "GB" {
		t.Errorf("schema query = %v", q)
	}

	if err := c.Recipients.Validate(ctx, "u1", johnDoe()); err != nil {
		t.Errorf("Validate() = %v, want nil (200, no body)", err)
	}
	v := api.last(t, "POST /users/u1/recipients/validate")
	sameJSON(t, "validate body", v.body, recipientCreateBody)

	r, err := c.Recipients.Create(ctx, "u1", johnDoe())
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	sameJSON(t, "create body", api.last(t, "POST /users/u1/recipients").body, recipientCreateBody)
	if r.Status != RecipientPending || r.PendingUserAction == nil || r.PendingUserAction.RedirectUrl == "" ||
		r.LocalBankTransfer["EUR"].BIC != "SOGEDEFFXXX" || r.IndividualRecipient.Address.City != "Berlin" ||
		r.RecipientVerificationOfPayee.RecipientVerificationCheck != VOPMatch || r.ScaContext != ScaUserPresent {
		t.Errorf("Create() = %+v", r)
	}

	got, err := c.Recipients.Get(ctx, r.Id)
	if err != nil || got.Id != r.Id {
		t.Errorf("Get() = %+v, %v", got, err)
	}
	legacy, err := c.Recipients.Get(ctx, "bankacc_m_01JCN1X2EHWG0JNJNPNQ21CW5G")
	if err != nil || legacy.Status != RecipientActive || legacy.DisplayName != "" {
		t.Errorf("Get(legacy bank account) = %+v, %v; want ACTIVE with a null DisplayName", legacy, err)
	}

	list, err := Collect(c.Recipients.ListByUser(ctx, "u1", &ListOptions{RecipientScope: ScopePayin}))
	if err != nil || len(list) != 1 || list[0].Id != "bankacc_m_01JCN1X2EHWG0JNJNPNQ21CW5G" {
		t.Errorf("ListByUser() = %+v, %v", list, err)
	}
	if q := api.last(t, "GET /users/u1/recipients").query; q.Get("RecipientScope") != "PAYIN" {
		t.Errorf("list query = %v, want RecipientScope PAYIN", q)
	}

	off, err := c.Recipients.Deactivate(ctx, "rec_1")
	if err != nil || off.Status != RecipientDeactivated {
		t.Errorf("Deactivate() = %+v, %v", off, err)
	}
	sameJSON(t, "deactivate body", api.last(t, "PUT /recipients/rec_1").body, `{"Status":"DEACTIVATED"}`)
}

// TestRecipientValidationErrors: a 400 keys its errors under "Errors"
// (capital E) by dotted path; an INVALID_FORMAT value carries its regex
// since 2026-05-19, and is matched on its code.
func TestRecipientValidationErrors(t *testing.T) {
	api := &fakeAPI{routes: map[string]answer{"POST /users/u1/recipients/validate": {400, recipientInvalid, nil}}}
	c, _ := newTestClient(t, api)
	err := c.Recipients.Validate(context.Background(), "u1", johnDoe())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrParam) {
		t.Fatalf("Validate() = %v, want a param_error", err)
	}
	want := []FieldError{
		{Field: "IndividualRecipient.Address.PostalCode", Code: FieldLengthMoreThanMax},
		{Field: "LocalBankTransfer.GBP.AccountNumber", Code: FieldInvalidFormat, Detail: `Regex validation: ^\d{8}$`, Regex: `^\d{8}$`},
		{Field: "LocalBankTransfer.GBP.SortCode", Code: FieldInvalidFormat, Detail: `Regex validation: ^\d{6}$`, Regex: `^\d{6}$`},
	}
	if got := e.FieldErrors(); !reflect.DeepEqual(got, want) {
		t.Errorf("FieldErrors() = %+v, want %+v", got, want)
	}
	if f, ok := e.FieldError("LocalBankTransfer.GBP.SortCode"); !ok || f.Code != FieldInvalidFormat {
		t.Errorf("FieldError(SortCode) = %+v, %v", f, ok)
	}
	if _, ok := e.FieldError("DisplayName"); ok {
		t.Errorf("FieldError(DisplayName) found, want none")
	}
}

// TestRecipientSchemaRoundTrip: the flattened schema nests again as sent.
func TestRecipientSchemaRoundTrip(t *testing.T) {
	var s RecipientSchema
	if err := json.Unmarshal([]byte(recipientSchema), &s); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var again RecipientSchema
	if err := json.Unmarshal(b, &again); err != nil || !reflect.DeepEqual(again, s) {
		t.Errorf("round trip = %v (%v), want %v", again, err, s)
	}
	if err := json.Unmarshal([]byte(`"not an object"`), &s); err != nil || len(s) != 0 {
		t.Errorf("Unmarshal(string) = %v, %v; want an empty schema", s, err)
	}
}
