package sandbox

import "settle/mangopay"

// clientDoc is GET /clients: the platform's own record. The sandbox client
// has no branding, contacts or company data; the fields are there, null or
// empty, as MANGOPAY answers them for a client that set none.
type clientDoc struct {
	ClientId                string                 `json:"ClientId"`
	Name                    string                 `json:"Name"`
	RegisteredName          string                 `json:"RegisteredName"`
	PrimaryThemeColour      mangopay.NullString    `json:"PrimaryThemeColour"`
	PrimaryButtonColour     mangopay.NullString    `json:"PrimaryButtonColour"`
	Logo                    mangopay.NullString    `json:"Logo"`
	TechEmails              []string               `json:"TechEmails"`
	AdminEmails             []string               `json:"AdminEmails"`
	FraudEmails             []string               `json:"FraudEmails"`
	BillingEmails           []string               `json:"BillingEmails"`
	PlatformDescription     mangopay.NullString    `json:"PlatformDescription"`
	PlatformCategorization  platformCategorization `json:"PlatformCategorization"`
	PlatformURL             mangopay.NullString    `json:"PlatformURL"`
	HeadquartersAddress     mangopay.Address       `json:"HeadquartersAddress"`
	HeadquartersPhoneNumber mangopay.NullString    `json:"HeadquartersPhoneNumber"`
	TaxNumber               mangopay.NullString    `json:"TaxNumber"`
	CompanyReference        mangopay.NullString    `json:"CompanyReference"`
	Licensor                mangopay.NullString    `json:"Licensor"`
}

type platformCategorization struct {
	BusinessType mangopay.NullString `json:"BusinessType"`
	Sector       mangopay.NullString `json:"Sector"`
}

// getClient is GET /clients.
func (s *Server) getClient(c *call) (int, any) {
	id := s.opts.ClientID
	return 200, &clientDoc{ClientId: id, Name: id, RegisteredName: id, TechEmails: []string{}, AdminEmails: []string{},
		FraudEmails: []string{}, BillingEmails: []string{}, PlatformCategorization: platformCategorization{
			BusinessType: "CROWDFUNDING"}}
}
