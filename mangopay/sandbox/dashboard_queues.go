package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"settle/internal/mask"
	"settle/mangopay"
)

// The queues are what waits for a person at MANGOPAY or at the platform:
// each is a list of rows with the back-office actions that end the wait.
// A new kind of wait is one more queue in queues, its rows built by one
// function, its actions backofficeActions.

// queue is one queue of the dashboard.
type queue struct {
	Key, Title, Help string
	Rows             []queueRow
	Bulk             []actionForm // actions on the whole queue
}

// queueRow is one object waiting, with its actions.
type queueRow struct {
	ID, Kind, Link     string
	User, UserName     string
	Detail, Status     string
	Tag, Reason        string
	Amount             *mangopay.Money
	Created, Processed int64
	Pages              []pageLink // a KYC document's pages
	Actions            []actionForm
}

// pageLink links to one uploaded page of a KYC document.
type pageLink struct {
	Label, Href string
}

// queues lists every queue, in the order the pages show them. Called with
// s.mu held.
func (s *Server) queues() []queue {
	var kyc, created, succeeded, web, transfers []queueRow
	for _, id := range s.st.kycs.order.ids {
		if k := s.st.kycs.m[id]; k.D.Status == mangopay.KYCStatusValidationAsked {
			kyc = append(kyc, s.kycRow(k))
		}
	}
	for _, id := range s.st.payouts.order.ids {
		t := s.st.payouts.m[id].P.Transaction
		switch acts := s.txActions(t); {
		case acts == nil:
		case t.Status == mangopay.StatusCreated:
			created = append(created, s.txRowOf("Payout", t, acts))
		default:
			succeeded = append(succeeded, s.txRowOf("Payout", t, acts))
		}
	}
	var sca []queueRow
	for _, id := range s.st.users.order.ids {
		if u := s.st.users.m[id]; u.sum().UserStatus == mangopay.UserPendingAction {
			sca = append(sca, s.scaRow(u))
		}
	}
	var recipients, idvs []queueRow
	for _, id := range s.st.recipients.order.ids {
		if r := s.st.recipients.m[id]; r.R.Status == mangopay.RecipientPending {
			recipients = append(recipients, s.recipientRow(r))
		}
	}
	for _, id := range s.st.idvs.order.ids {
		if v := s.st.idvs.m[id]; v.V.Status == mangopay.IDVPending {
			idvs = append(idvs, s.idvRow(v))
		}
	}
	for _, id := range s.st.transfers.order.ids {
		t := s.st.transfers.m[id].T.Transaction
		if acts := s.txActions(t); acts != nil {
			transfers = append(transfers, s.txRowOf("Transfer", t, acts))
		}
	}
	for _, id := range s.st.payins.order.ids {
		t := s.st.payins.m[id].P.Transaction
		if acts := s.txActions(t); acts != nil {
			web = append(web, s.txRowOf("Card web pay-in", t, acts))
		}
	}
	return []queue{
		{Key: "kyc", Title: "KYC documents waiting for validation", Rows: kyc,
			Help: "Documents in VALIDATION_ASKED: validate them, or refuse them with a reason."},
		{Key: "payouts", Title: "Payouts waiting to be processed", Rows: created,
			Help: "Payouts CREATED: processing debits the wallet (or fails the payout with its code).",
			Bulk: []actionForm{{Label: "Process all", Path: "payouts/process"}}},
		{Key: "sca", Title: "Owners waiting for SCA enrolment", Rows: sca,
			Help: "Users in PENDING_USER_ACTION: complete the enrolment as the person would, or refuse it (the user stays pending)."},
		{Key: "recipients", Title: "Recipients waiting for their owner's SCA", Rows: recipients,
			Help: "Recipients PENDING: activate them as the owner's SCA would, or cancel them (the SCA refused)."},
		{Key: "transfers", Title: "Transfers waiting for their owner's SCA", Rows: transfers,
			Help: "Transfers CREATED above the SCA threshold between two owners: complete the SCA as the owner would (the transfer settles), or refuse it (FAILED 007101)."},
		{Key: "idv", Title: "Identity verifications waiting for an outcome", Rows: idvs,
			Help: "Hosted identity verification sessions PENDING: validate (the user becomes REGULAR), refuse with a reason, or let them expire."},
		{Key: "webpayins", Title: "Card web pay-ins waiting for their payment page", Rows: web,
			Help: "Pay-ins CREATED by the web flow: complete the payment with the test card, or fail it (001031)."},
		{Key: "bounces", Title: "Payouts the bank may return", Rows: succeeded,
			Help: "Payouts SUCCEEDED and not returned: a bounce brings the money back into the wallet with a bank's reason."},
	}
}

// kycRow is a KYC document, with its actions when it waits.
func (s *Server) kycRow(k *kycRec) queueRow {
	d := k.D
	row := queueRow{ID: d.Id, Kind: d.Type, Link: "/dashboard/users/" + url.PathEscape(d.UserId), User: d.UserId,
		UserName: s.userNameOf(d.UserId), Detail: strconv.Itoa(k.Pages) + " page(s)", Status: d.Status, Tag: string(d.Tag),
		Reason: string(d.RefusedReasonType), Created: d.CreationDate}
	if d.ProcessedDate != nil {
		row.Processed = *d.ProcessedDate
	}
	for _, p := range s.st.kycPages[d.Id] {
		if p != nil {
			row.Pages = append(row.Pages, pageLink{Label: fmt.Sprintf("page %d (%s, %d KB)", p.N, p.Format, (len(p.Data)+1023)/1024),
				Href: fmt.Sprintf("/dashboard/kyc/%s/pages/%d", url.PathEscape(d.Id), p.N)})
		}
	}
	if d.Status == mangopay.KYCStatusValidationAsked {
		row.Actions = []actionForm{
			{Label: "Validate", Path: "kyc/" + d.Id + "/validate"},
			{Label: "Refuse", Path: "kyc/" + d.Id + "/refuse", Reasons: kycRefusals(), Danger: true},
		}
	}
	return row
}

// kycRefusals are the RefusedReasonTypes the refuse form offers, the most
// common first.
func kycRefusals() []string {
	out := []string{"DOCUMENT_NOT_ACCEPTED"}
	var rest []string
	for _, r := range refuseTags {
		if r != out[0] {
			rest = append(rest, r)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// scaRow is a user waiting for its SCA enrolment.
func (s *Server) scaRow(u *userRec) queueRow {
	sum := u.sum()
	return queueRow{ID: sum.Id, Kind: sum.UserCategory, Link: "/dashboard/users/" + url.PathEscape(sum.Id),
		User: sum.Id, UserName: userName(u), Detail: sum.Email, Status: sum.UserStatus, Tag: string(sum.Tag),
		Created: sum.CreationDate, Actions: []actionForm{
			{Label: "Complete SCA", Path: "sca/" + sum.Id + "/complete"},
			{Label: "Refuse SCA", Path: "sca/" + sum.Id + "/refuse", Danger: true},
		}}
}

// txRowOf is a transaction in a queue; its link is its wallet's page.
func (s *Server) txRowOf(kind string, t mangopay.Transaction, actions []actionForm) queueRow {
	wallet := string(t.DebitedWalletId)
	if wallet == "" {
		wallet = string(t.CreditedWalletId)
	}
	user := t.AuthorId
	row := queueRow{ID: t.Id, Kind: kind, User: user, UserName: s.userNameOf(user), Status: t.Status, Tag: string(t.Tag),
		Amount: &t.DebitedFunds, Created: t.CreationDate, Actions: actions, Detail: "wallet " + wallet}
	if wallet != "" {
		row.Link = "/dashboard/wallets/" + url.PathEscape(wallet)
	}
	return row
}

// queuesView is the queues page.
type queuesView struct{ Queues []queue }

func (queuesView) title() string { return "Queues" }

// pageTypes are the Content-Types of the page formats (pageFormat).
var pageTypes = map[string]string{"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}

// dashKYCPage is GET /dashboard/kyc/{id}/pages/{n}: the page as uploaded.
func (s *Server) dashKYCPage(q *dashReq) {
	n, _ := strconv.Atoi(q.r.PathValue("n"))
	var page *kycPageRec
	if err := s.api.Commit(func(time.Time) {
		if pages := s.st.kycPages[q.r.PathValue("id")]; n >= 1 && n <= len(pages) {
			page = pages[n-1] // records are never changed once stored
		}
	}); err != nil {
		s.dashProblem(q, http.StatusInternalServerError, "state log: "+err.Error())
		return
	}
	if page == nil {
		s.dashProblem(q, http.StatusNotFound, "No such page of KYC document "+q.r.PathValue("id")+".")
		return
	}
	h := q.w.Header()
	h.Del("Content-Security-Policy") // the browser's PDF viewer runs its own scripts
	h.Set("Content-Type", pageTypes[page.Format])
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-page-%d.%s"`, page.Doc, page.N, strings.ToLower(page.Format)))
	_, _ = q.w.Write(page.Data)
}

// recipientRow is a recipient, with its actions while PENDING.
func (s *Server) recipientRow(r *recipientRec) queueRow {
	v := r.R
	row := queueRow{ID: v.Id, Kind: v.PayoutMethodType + " " + v.Currency, Link: "/dashboard/users/" + url.PathEscape(v.UserId),
		User: v.UserId, UserName: s.userNameOf(v.UserId), Detail: recipientAccount(v), Status: v.Status, Tag: string(v.Tag), Created: v.CreationDate}
	if vop := v.RecipientVerificationOfPayee; vop != nil && vop.RecipientVerificationCheck != "" {
		row.Reason = "VOP " + vop.RecipientVerificationCheck
	}
	if v.Status == mangopay.RecipientPending {
		row.Actions = []actionForm{
			{Label: "Activate", Path: "recipients/" + v.Id + "/activate"},
			{Label: "Cancel", Path: "recipients/" + v.Id + "/cancel", Danger: true},
		}
	}
	return row
}

// recipientAccount is a recipient's name and account, IBANs masked.
func recipientAccount(r mangopay.Recipient) string {
	out := string(r.DisplayName)
	for _, cur := range slices.Sorted(maps.Keys(r.LocalBankTransfer)) {
		a := r.LocalBankTransfer[cur]
		switch {
		case a.IBAN != "":
			out += " · " + mask.IBAN(a.IBAN)
		case a.AccountNumber != "":
			out += " · " + mask.IBAN(a.AccountNumber)
		}
	}
	if t := r.InternationalBankTransfer; t != nil && t.AccountNumber != "" {
		out += " · " + mask.IBAN(t.AccountNumber)
	}
	return out
}

// idvRow is an identity verification session, with its actions while
// PENDING.
func (s *Server) idvRow(v *idvRec) queueRow {
	row := queueRow{ID: v.V.Id, Kind: "Identity verification", Link: "/dashboard/users/" + url.PathEscape(v.V.UserId),
		User: v.V.UserId, UserName: s.userNameOf(v.V.UserId), Status: v.V.Status, Tag: string(v.V.Tag), Created: v.V.CreationDate}
	if v.V.LastUpdate != nil && v.V.Status != mangopay.IDVPending {
		row.Processed = *v.V.LastUpdate
	}
	for _, c := range v.V.Checks {
		row.Detail += c.Type + " " + c.CheckStatus + " "
		for _, r := range c.Reasons {
			row.Reason = r.Type
		}
	}
	if v.V.Status == mangopay.IDVPending {
		path := "identity-verifications/" + v.V.Id + "/outcome"
		row.Actions = []actionForm{
			{Label: "Validate", Path: path, Hidden: map[string]string{"status": mangopay.IDVValidated}},
			{Label: "Refuse", Path: path, Hidden: map[string]string{"status": mangopay.IDVRefused}, Reasons: idvReasons, Danger: true},
			{Label: "Expire", Path: path, Hidden: map[string]string{"status": mangopay.IDVExpired}, Danger: true},
		}
	}
	return row
}
