package plan

// SandboxOnly lists what in the plan only a sandbox accepts, sorted by
// position: raw card numbers (test cards, registered through
// tokenization) and KYC sandbox outcomes. The executor refuses a plan with
// any of them on the production target; each entry says why.
func (p *Plan) SandboxOnly() ErrorList {
	var l ErrorList
	for _, k := range sortedKeys(p.Cards) {
		if p.Cards[k].Number != "" {
			path := "cards." + k + ".number"
			l.Add(p.PosOf(path), path, "a raw card number is a test card: only the embedded target and sandboxes accept it")
		}
	}
	for _, k := range sortedKeys(p.KYCDocuments) {
		if p.KYCDocuments[k].SandboxOutcome != "" {
			path := "kyc_documents." + k + ".sandbox_outcome"
			l.Add(p.PosOf(path), path, "sandbox_outcome only decides a sandbox's KYC verdict: production would file the document with it as a Tag")
		}
	}
	l.Sort()
	return l
}
