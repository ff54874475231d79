package apirules

// kycSandboxTags are the test Tags of MANGOPAY's sandbox KYC documents and
// the RefusedReasonType each asks for ("" for accept), in the order
// MANGOPAY lists them. The how-to writes UNREADABLE for refuse_unreadable;
// the RefusedReasonType enum's value, DOCUMENT_UNREADABLE, is the one
// kept (both facts files note the slip).
var kycSandboxTags = []struct{ tag, refusal string }{
	{"accept", ""},
	{"refuse_unreadable", "DOCUMENT_UNREADABLE"},
	{"refuse_not_accepted", "DOCUMENT_NOT_ACCEPTED"},
	{"refuse_expired", "DOCUMENT_HAS_EXPIRED"},
	{"refuse_incomplete", "DOCUMENT_INCOMPLETE"},
	{"refuse_missing", "DOCUMENT_MISSING"},
	{"refuse_no_user_data_match", "DOCUMENT_DO_NOT_MATCH_USER_DATA"},
	{"refuse_falsified", "DOCUMENT_FALSIFIED"},
	{"refuse_underage", "UNDERAGE_PERSON"},
	{"refuse_specific_case", "SPECIFIC_CASE"},
}

// KYCSandboxTags returns the Tags that, set on a KYC document at its
// creation in MANGOPAY's sandbox, decide its verdict once it is submitted
// (case-sensitive): accept (VALIDATED) and the refuse_* Tags (REFUSED),
// mangopay-api.md §6, mangopay-2026.md §4.1. The plan's JSON schema holds
// them as kyc_documents.*.sandbox_outcome's enum, which settle sends as
// the Tag.
func KYCSandboxTags() []string {
	out := make([]string, len(kycSandboxTags))
	for i, t := range kycSandboxTags {
		out[i] = t.tag
	}
	return out
}

// KYCSandboxVerdict is the verdict tag asks for: accept, or the
// RefusedReasonType of a refusal; ok is false for any other Tag, which
// asks for none.
func KYCSandboxVerdict(tag string) (accept bool, refusal string, ok bool) {
	for _, t := range kycSandboxTags {
		if t.tag == tag {
			return t.refusal == "", t.refusal, true
		}
	}
	return false, "", false
}
