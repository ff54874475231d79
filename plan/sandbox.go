package plan

// SandboxOnly lists what in the plan only a sandbox accepts, sorted by
// position: raw card numbers (test cards, registered through
// tokenization) and KYC sandbox outcomes; each entry says why. [Parse]
// reports every entry as an error when the plan itself declares
// target: production. (The executor's preflight makes its own checks for
// the target it is given.)
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
