package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"settle/internal/mask"
	"settle/mangopay"
)

// The dashboard's pages are built in two halves: a view (plain values,
// copied out of the state inside one Commit, so that the due asynchronous
// work runs first as for any request) and a template (dashboard/*.html)
// rendered after the lock is released.

// dashListMax is how many rows a page lists before paginating.
const dashListMax = 50

// dashTxPerPage is how many transactions a wallet page lists.
const dashTxPerPage = 20

// dashView runs build inside a Commit and renders its view as page name
// (404 with the problem page when build reports nothing found).
func (s *Server) dashView(q *dashReq, name string, build func(now time.Time) (any, string)) {
	var v any
	var missing string
	if err := s.api.Commit(func(now time.Time) { v, missing = build(now) }); err != nil {
		s.dashProblem(q, http.StatusInternalServerError, "state log: "+err.Error())
		return
	}
	if missing != "" {
		s.dashProblem(q, http.StatusNotFound, missing)
		return
	}
	s.dashRender(q, http.StatusOK, name, v)
}

// pager is a page of a list: Page from 1, and the links to its neighbours.
type pager struct {
	Page, Pages int
	Total       int
	Prev, Next  string
}

// paginate cuts n items into pages of per: the bounds of page (1-based,
// clamped) and the pager whose links set key on base's query.
func paginate(n, per, page int, base *url.URL, key string) (lo, hi int, p pager) {
	pages := max(1, (n+per-1)/per)
	page = min(max(page, 1), pages)
	p = pager{Page: page, Pages: pages, Total: n}
	link := func(to int) string {
		u := *base
		v := u.Query()
		v.Del("done")
		v.Set(key, strconv.Itoa(to))
		u.RawQuery = v.Encode()
		return u.RequestURI()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	lo = (page - 1) * per
	return lo, min(lo+per, n), p
}

// pageParam reads a page number (default 1).
func pageParam(r *http.Request, key string) int {
	n, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil {
		return 1
	}
	return n
}

// userRow is a user in a list.
type userRow struct {
	ID, Name, Person, Category, Status, KYC, Tag, Email string
	Wallets                                             int
}

func (s *Server) userRow(u *userRec) userRow {
	sum := u.sum()
	return userRow{ID: sum.Id, Name: userName(u), Person: sum.PersonType, Category: sum.UserCategory,
		Status: sum.UserStatus, KYC: sum.KYCLevel, Tag: string(sum.Tag), Email: sum.Email,
		Wallets: len(s.st.userWallets.ids(sum.Id))}
}

// userName is a natural user's full name or a legal user's name.
func userName(u *userRec) string {
	if u.Legal != nil {
		return u.Legal.Name
	}
	return strings.TrimSpace(u.Natural.FirstName + " " + u.Natural.LastName)
}

// userNameOf is the name (userName) of the user id, "" when there is none.
func (s *Server) userNameOf(id string) string {
	if u, ok := s.st.users.get(id); ok {
		return userName(u)
	}
	return ""
}

// walletRow is a wallet in a list, with its balance.
type walletRow struct {
	ID, Owner, OwnerName, Description, FundsType, Tag string
	Balance                                           mangopay.Money
	Created                                           int64
}

func (s *Server) walletRow(w *walletRec) walletRow {
	v := s.walletView(w)
	return walletRow{ID: v.Id, Owner: walletOwner(w), OwnerName: s.userNameOf(walletOwner(w)), Description: v.Description,
		FundsType: v.FundsType, Tag: string(v.Tag), Balance: v.Balance, Created: v.CreationDate}
}

// overviewView is the overview page.
type overviewView struct {
	Now         int64
	ClockOffset string
	LedgerOK    bool
	LedgerError string
	Queues      []queueCount
	Platform    []walletRow
	Users       []userRow
	UserPager   pager
	Wallets     []walletRow
	WalletPager pager
	Rates       []rateRow
}

type queueCount struct {
	Key, Title string
	Count      int
}

// rateRow is an open rate-limit window.
type rateRow struct {
	Client, Period string
	Count, Limit   int
	Reset          int64
}

func (s *Server) overview(r *http.Request, now time.Time) overviewView {
	v := overviewView{Now: now.Unix(), ClockOffset: s.api.ClockOffset().String()}
	if err := s.checkLedger(); err != nil {
		v.LedgerError = err.Error()
	} else {
		v.LedgerOK = true
	}
	for _, qu := range s.queues() {
		v.Queues = append(v.Queues, queueCount{Key: qu.Key, Title: qu.Title, Count: len(qu.Rows)})
	}
	for _, id := range s.st.clientWlts.ids("") {
		v.Platform = append(v.Platform, s.walletRow(s.st.wallets.m[id]))
	}
	ids := s.st.users.order.ids
	lo, hi, p := paginate(len(ids), dashListMax, pageParam(r, "users"), r.URL, "users")
	v.UserPager = p
	for _, id := range ids[lo:hi] {
		v.Users = append(v.Users, s.userRow(s.st.users.m[id]))
	}
	var wallets []string
	for _, id := range s.st.wallets.order.ids {
		if walletOwner(s.st.wallets.m[id]) != "" {
			wallets = append(wallets, id)
		}
	}
	lo, hi, p = paginate(len(wallets), dashListMax, pageParam(r, "wallets"), r.URL, "wallets")
	v.WalletPager = p
	for _, id := range wallets[lo:hi] {
		v.Wallets = append(v.Wallets, s.walletRow(s.st.wallets.m[id]))
	}
	for _, ru := range s.api.RateUsage(now) {
		v.Rates = append(v.Rates, rateRow{Client: ru.Client, Period: ru.Period.String(), Count: ru.Count,
			Limit: ru.Limit, Reset: ru.Reset.Unix()})
	}
	return v
}

// userView is a user's page.
type userView struct {
	userRow
	Natural    *mangopay.NaturalUser
	Legal      *mangopay.LegalUser
	Created    int64
	Enrolled   *int64
	Wallets    []walletRow
	Banks      []bankRow
	Documents  []queueRow // the user's KYC documents, with the actions of those waiting
	Recipients []queueRow // its recipients, VOP result in Reason
	IDVs       []queueRow // its identity verification sessions
	Pending    *queueRow  // the SCA enrolment waiting, with its actions
}

func (v userView) title() string { return "User " + v.ID }

// bankRow is a bank account with its IBAN masked.
type bankRow struct {
	ID, Type, OwnerName, IBAN, BIC, Tag string
	Active                              bool
	Created                             int64
}

func (s *Server) userPage(id string) (any, string) {
	u, ok := s.st.users.get(id)
	if !ok {
		return nil, "No user has the Id " + id + "."
	}
	v := userView{userRow: s.userRow(u), Natural: u.Natural, Legal: u.Legal, Created: u.sum().CreationDate}
	if u.SCA != nil {
		v.Enrolled = u.SCA.EnrolledAt
	}
	for _, wid := range s.st.userWallets.ids(id) {
		v.Wallets = append(v.Wallets, s.walletRow(s.st.wallets.m[wid]))
	}
	for _, bid := range s.st.userBanks.ids(id) {
		b := s.st.banks.m[bid].B
		v.Banks = append(v.Banks, bankRow{ID: b.Id, Type: b.Type, OwnerName: b.OwnerName, IBAN: mask.IBAN(b.IBAN),
			BIC: string(b.BIC), Tag: string(b.Tag), Active: b.Active, Created: b.CreationDate})
	}
	for _, kid := range s.st.userKYC.ids(id) {
		v.Documents = append(v.Documents, s.kycRow(s.st.kycs.m[kid]))
	}
	for _, rid := range s.st.userRecipients.ids(id) {
		v.Recipients = append(v.Recipients, s.recipientRow(s.st.recipients.m[rid]))
	}
	for _, vid := range s.st.userIDVs.ids(id) {
		v.IDVs = append(v.IDVs, s.idvRow(s.st.idvs.m[vid]))
	}
	if u.sum().UserStatus == mangopay.UserPendingAction {
		row := s.scaRow(u)
		v.Pending = &row
	}
	return v, ""
}

// walletView is a wallet's page.
type walletPage struct {
	walletRow
	Currency string
	Tx       []txRow
	Pager    pager
}

func (v walletPage) title() string { return "Wallet " + v.ID }

// txRow is a transaction on a wallet page, with the actions it waits for.
type txRow struct {
	mangopay.Transaction
	Actions []actionForm
}

func (s *Server) walletPageView(r *http.Request, id string) (any, string) {
	w, ok := s.st.wallets.get(id)
	if !ok {
		return nil, "No wallet has the Id " + id + "."
	}
	v := walletPage{walletRow: s.walletRow(w), Currency: w.W.Currency}
	ids := s.st.txByWallet.ids(id)
	lo, hi, p := paginate(len(ids), dashTxPerPage, pageParam(r, "page"), r.URL, "page")
	v.Pager = p
	// Newest first: page 1 holds the latest transactions.
	for i := len(ids) - 1 - lo; i >= len(ids)-hi; i-- {
		t, ok := s.st.transaction(ids[i])
		if !ok {
			continue
		}
		v.Tx = append(v.Tx, txRow{Transaction: t, Actions: s.txActions(t)})
	}
	return v, ""
}

// txActions are the back-office actions a transaction waits for: a
// CREATED payout is processed, a SUCCEEDED one may bounce, a transfer
// waiting for its owner's SCA is authenticated or refused, a CREATED card
// web pay-in is paid or failed.
func (s *Server) txActions(t mangopay.Transaction) []actionForm {
	switch {
	case t.Type == "PAYOUT" && t.Nature == "REGULAR" && t.Status == mangopay.StatusCreated:
		return []actionForm{{Label: "Process", Path: "payouts/" + t.Id + "/process"}}
	case t.Type == "PAYOUT" && t.Nature == "REGULAR" && t.Status == mangopay.StatusSucceeded && len(s.st.refundsOf.ids(t.Id)) == 0:
		return []actionForm{{Label: "Bounce", Path: "payouts/" + t.Id + "/bounce", Reasons: bounceReasons(), Danger: true}}
	case t.Type == "TRANSFER" && t.Status == mangopay.StatusCreated:
		if tr, ok := s.st.transfers.get(t.Id); ok && tr.T.PendingUserAction != nil {
			return []actionForm{
				{Label: "Complete SCA", Path: "transfers/" + t.Id + "/authenticate"},
				{Label: "Refuse SCA", Path: "transfers/" + t.Id + "/refuse", Danger: true},
			}
		}
	case t.Type == "PAYIN" && t.Status == mangopay.StatusCreated:
		if _, ok := s.webPayin(t.Id); ok {
			return []actionForm{
				{Label: "Complete payment", Path: "payins/" + t.Id + "/complete"},
				{Label: "Fail payment", Path: "payins/" + t.Id + "/complete", Hidden: map[string]string{"outcome": "cancel"}, Danger: true},
			}
		}
	}
	return nil
}

// actionForm is one button (and, with Reasons, a reason to pick) posting
// a back-office action.
type actionForm struct {
	Label   string
	Path    string            // backofficeAction.path with the Id
	Reasons []string          // a <select name="reason"> when set
	Hidden  map[string]string // extra form fields
	Danger  bool
}

// searchView is the search page.
type searchView struct {
	Query   string
	Results []searchHit
}

type searchHit struct {
	Kind, ID, Tag, Link, Detail string
}

// search finds the objects whose Id is q or whose Tag contains it (any
// case), at most dashListMax. It is a scan of the tables: the dashboard is
// for people, not for load.
func (s *Server) search(q string) searchView {
	v := searchView{Query: q}
	q = strings.TrimSpace(q)
	if q == "" {
		return v
	}
	lq := strings.ToLower(q)
	add := func(kind, id, tag, link, detail string) {
		if len(v.Results) < dashListMax && (id == q || (tag != "" && strings.Contains(strings.ToLower(tag), lq))) {
			v.Results = append(v.Results, searchHit{Kind: kind, ID: id, Tag: tag, Link: link, Detail: detail})
		}
	}
	for _, id := range s.st.users.order.ids {
		u := s.st.users.m[id]
		add("User", id, string(u.sum().Tag), "/dashboard/users/"+url.PathEscape(id), userName(u))
	}
	for _, id := range s.st.wallets.order.ids {
		w := s.st.wallets.m[id]
		add("Wallet", id, string(w.W.Tag), "/dashboard/wallets/"+url.PathEscape(id), w.W.Description)
	}
	for _, id := range s.st.banks.order.ids {
		b := s.st.banks.m[id].B
		add("Bank account", id, string(b.Tag), "/dashboard/users/"+url.PathEscape(b.UserId), mask.IBAN(b.IBAN))
	}
	for _, id := range s.st.kycs.order.ids {
		d := s.st.kycs.m[id].D
		add("KYC document", id, string(d.Tag), "/dashboard/users/"+url.PathEscape(d.UserId), d.Type+" "+d.Status)
	}
	for _, id := range s.st.recipients.order.ids {
		r := s.st.recipients.m[id].R
		add("Recipient", id, string(r.Tag), "/dashboard/users/"+url.PathEscape(r.UserId), r.Status+" "+recipientAccount(r))
	}
	for _, id := range s.st.idvs.order.ids {
		v := s.st.idvs.m[id].V
		add("Identity verification", id, string(v.Tag), "/dashboard/users/"+url.PathEscape(v.UserId), v.Status)
	}
	tx := func(kind string, t mangopay.Transaction) {
		wallet := string(t.CreditedWalletId)
		if wallet == "" {
			wallet = string(t.DebitedWalletId)
		}
		link := ""
		if wallet != "" {
			link = "/dashboard/wallets/" + url.PathEscape(wallet)
		}
		add(kind, t.Id, string(t.Tag), link, fmt.Sprintf("%s %s", t.Status, moneyText(t.DebitedFunds)))
	}
	for _, id := range s.st.payins.order.ids {
		tx("Pay-in", s.st.payins.m[id].P.Transaction)
	}
	for _, id := range s.st.transfers.order.ids {
		tx("Transfer", s.st.transfers.m[id].T.Transaction)
	}
	for _, id := range s.st.refunds.order.ids {
		tx("Refund", s.st.refunds.m[id].R.Transaction)
	}
	for _, id := range s.st.payouts.order.ids {
		tx("Payout", s.st.payouts.m[id].P.Transaction)
	}
	return v
}

// faultsView is the faults and clock page.
type faultsView struct {
	Faults      faultsDoc
	RateLimits  string // PERIOD:LIMIT,...
	Now         int64
	ClockOffset string
	Rates       []rateRow
}

func (v faultsView) title() string { return "Faults and clock" }

func (s *Server) faultsPage(now time.Time) faultsView {
	doc := s.faultsDoc()
	var rl []string
	for _, w := range doc.RateLimits {
		rl = append(rl, w.Period+":"+strconv.Itoa(w.Limit))
	}
	v := faultsView{Faults: doc, RateLimits: strings.Join(rl, ","), Now: now.Unix(), ClockOffset: s.api.ClockOffset().String()}
	for _, ru := range s.api.RateUsage(now) {
		v.Rates = append(v.Rates, rateRow{Client: ru.Client, Period: ru.Period.String(), Count: ru.Count,
			Limit: ru.Limit, Reset: ru.Reset.Unix()})
	}
	return v
}

// money shows an amount in minor units as its currency and two decimals:
// "EUR 1,234.56", "EUR -0.05".
func moneyText(m mangopay.Money) string {
	a := m.Amount
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	units := strconv.FormatInt(a/100, 10)
	var b strings.Builder
	for i, c := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s %s%s.%02d", m.Currency, sign, b.String(), a%100)
}
