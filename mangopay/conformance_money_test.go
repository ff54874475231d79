package mangopay_test

import (
	"errors"

	"settle/mangopay"
)

func eur(n int64) mangopay.Money { return mangopay.Money{Currency: "EUR", Amount: n} }

func (r *run) payIns() {
	t, c, ctx := r.t, r.c, r.ctx
	p, err := c.PayIns.CreateCardDirect(ctx, &mangopay.PayInCardDirectCreateParams{
		Params:   mangopay.Params{IdempotencyKey: r.key("payin")},
		AuthorId: r.payer, CreditedWalletId: r.payerWallet, DebitedFunds: eur(10000), Fees: eur(500),
		CardId: r.card, SecureModeReturnURL: "https://example.org/return", SecureMode: "DEFAULT",
		IpAddress: "2001:db8::1", Tag: r.prefix + "/payin",
		BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "text/html", Language: "en-US", ColorDepth: 24,
			ScreenHeight: 1080, ScreenWidth: 1920, TimeZoneOffset: 60, UserAgent: "Mozilla/5.0", JavascriptEnabled: true}})
	r.must(err, "CreateCardDirect")
	if p.Status != mangopay.StatusSucceeded || p.CreditedFunds != eur(9500) || p.PaymentType != "CARD" || p.ExecutionType != "DIRECT" {
		t.Fatalf("CreateCardDirect() = %+v, want SUCCEEDED crediting 9500", p)
	}
	r.payin = p.Id
	got, err := c.PayIns.Get(ctx, r.payin)
	r.must(err, "PayIns.Get")
	if got.Id != r.payin || got.CardId != r.card {
		t.Errorf("PayIns.Get() = %+v", got)
	}
	w, err := c.Wallets.Get(ctx, r.payerWallet)
	r.must(err, "Wallets.Get")
	if w.Balance != eur(9500) {
		t.Errorf("payer balance = %+v, want 9500", w.Balance)
	}
}

func (r *run) transfers() {
	t, c, ctx := r.t, r.c, r.ctx
	tr, err := c.Transfers.Create(ctx, &mangopay.TransferCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("transfer")},
		AuthorId: r.payer, DebitedWalletId: r.payerWallet, CreditedWalletId: r.ownerWal, DebitedFunds: eur(6000), Fees: eur(100)})
	r.must(err, "Transfers.Create")
	if tr.Status != mangopay.StatusSucceeded || tr.CreditedFunds != eur(5900) || tr.CreditedUserId != mangopay.NullString(r.owner) {
		t.Fatalf("Transfers.Create() = %+v", tr)
	}
	r.transfer = tr.Id
	got, err := c.Transfers.Get(ctx, tr.Id)
	r.must(err, "Transfers.Get")
	if got.Id != tr.Id || got.Type != "TRANSFER" {
		t.Errorf("Transfers.Get() = %+v", got)
	}
	short, err := c.Transfers.Create(ctx, &mangopay.TransferCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("transfer-short")},
		AuthorId: r.payer, DebitedWalletId: r.payerWallet, CreditedWalletId: r.ownerWal, DebitedFunds: eur(1_000_000), Fees: eur(0)})
	if err != nil || short.Status != mangopay.StatusFailed || short.ResultCode != "001001" {
		t.Errorf("Transfers.Create(too much) = %+v, %v; want FAILED 001001 and no error", short, err)
	}
	_, err = c.Transfers.Create(ctx, &mangopay.TransferCreateParams{AuthorId: r.owner,
		DebitedWalletId: r.payerWallet, CreditedWalletId: r.ownerWal, DebitedFunds: eur(1), Fees: eur(0)})
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("Transfers.Create(wrong author) error = %v, want ErrParam", err)
	}
}

func (r *run) refunds() {
	t, c, ctx := r.t, r.c, r.ctx
	small, err := c.Transfers.Create(ctx, &mangopay.TransferCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("transfer-small")},
		AuthorId: r.payer, DebitedWalletId: r.payerWallet, CreditedWalletId: r.ownerWal, DebitedFunds: eur(1000), Fees: eur(50)})
	r.must(err, "Transfers.Create(small)")
	tref, err := c.Transfers.Refund(ctx, small.Id, &mangopay.RefundCreateParams{
		Params: mangopay.Params{IdempotencyKey: r.key("transfer-refund")}, AuthorId: r.payer})
	r.must(err, "Transfers.Refund")
	if tref.Status != mangopay.StatusSucceeded || tref.Nature != "REFUND" || tref.Type != "TRANSFER" ||
		tref.InitialTransactionId != small.Id || tref.CreditedFunds != eur(1000) {
		t.Errorf("Transfers.Refund() = %+v", tref)
	}
	_, err = c.Transfers.Refund(ctx, small.Id, &mangopay.RefundCreateParams{AuthorId: r.payer})
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("second full Transfers.Refund() error = %v, want ErrParam", err)
	}
	pref, err := c.PayIns.Refund(ctx, r.payin, &mangopay.RefundCreateParams{
		Params: mangopay.Params{IdempotencyKey: r.key("payin-refund")}, AuthorId: r.payer,
		DebitedFunds: &mangopay.Money{Currency: "EUR", Amount: 1000}, Fees: &mangopay.Money{Currency: "EUR", Amount: -50}})
	r.must(err, "PayIns.Refund")
	if pref.Status != mangopay.StatusSucceeded || pref.Type != "PAYOUT" || pref.CreditedFunds != eur(1050) {
		t.Errorf("PayIns.Refund() = %+v", pref)
	}
	got, err := c.Refunds.Get(ctx, pref.Id)
	r.must(err, "Refunds.Get")
	if got.InitialTransactionId != r.payin || got.InitialTransactionType != "PAYIN" {
		t.Errorf("Refunds.Get() = %+v", got)
	}
	id := func(x mangopay.Refund) string { return x.Id }
	if !contains(t, c.PayIns.Refunds(ctx, r.payin, nil), id, pref.Id) {
		t.Errorf("PayIns.Refunds() lacks %s", pref.Id)
	}
	if !contains(t, c.Transfers.Refunds(ctx, small.Id, &mangopay.ListOptions{Status: []string{"SUCCEEDED"}}), id, tref.Id) {
		t.Errorf("Transfers.Refunds() lacks %s", tref.Id)
	}
}

func (r *run) payOuts() {
	t, c, ctx := r.t, r.c, r.ctx
	p := &mangopay.PayOutBankWireCreateParams{
		Params:   mangopay.Params{IdempotencyKey: r.key("payout")},
		AuthorId: r.owner, DebitedWalletId: r.ownerWal, BankAccountId: r.bank,
		DebitedFunds: eur(5000), Fees: eur(400), BankWireRef: "CONFORMANCE"}
	if r.recipient != "" {
		p.BankAccountId, p.RecipientId = "", r.recipient
	}
	po, err := c.PayOuts.CreateBankWire(ctx, p)
	r.must(err, "CreateBankWire")
	if po.Status != mangopay.StatusCreated || po.CreditedFunds != eur(4600) ||
		po.BankAccountId != p.BankAccountId || string(po.RecipientId) != p.RecipientId {
		t.Errorf("CreateBankWire() = %+v, want CREATED to %s%s", po, p.BankAccountId, p.RecipientId)
	}
	if r.env.ProcessPayouts != nil {
		r.must(r.env.ProcessPayouts(ctx), "ProcessPayouts")
	}
	r.poll("payout", func() (bool, error) {
		p, err := c.PayOuts.Get(ctx, po.Id)
		if err != nil {
			return false, err
		}
		if p.Status == mangopay.StatusFailed {
			t.Fatalf("payout FAILED %s %s", p.ResultCode, p.ResultMessage)
		}
		return p.Status == mangopay.StatusSucceeded, nil
	})
	bw, err := c.PayOuts.GetBankWire(ctx, po.Id)
	r.must(err, "GetBankWire")
	if bw.Status != mangopay.StatusSucceeded || bw.ExecutionDate == nil {
		t.Errorf("GetBankWire() = %+v", bw)
	}
	w, err := c.Wallets.Get(ctx, r.ownerWal)
	r.must(err, "Wallets.Get(owner)")
	// 5900 + 950 (small transfer) - 950 (its full refund) - 5000 (payout)
	if w.Balance != eur(900) {
		t.Errorf("owner balance = %+v, want 900", w.Balance)
	}
}

func (r *run) clientWallets() {
	t, c, ctx := r.t, r.c, r.ctx
	fees, err := c.ClientWallets.Get(ctx, mangopay.FundsFees, "EUR")
	r.must(err, "ClientWallets.Get")
	if fees.Id != "FEES_EUR" || fees.FundsType != mangopay.FundsFees || len(fees.Owners) != 0 {
		t.Errorf("ClientWallets.Get() = %+v", fees)
	}
	id := func(w mangopay.Wallet) string { return w.Id }
	if !contains(t, c.ClientWallets.List(ctx, nil), id, "FEES_EUR") {
		t.Errorf("ClientWallets.List() lacks FEES_EUR")
	}
	if !contains(t, c.ClientWallets.ListByFundsType(ctx, mangopay.FundsFees, nil), id, "FEES_EUR") {
		t.Errorf("ClientWallets.ListByFundsType() lacks FEES_EUR")
	}
	for _, err := range c.ClientWallets.Transactions(ctx, mangopay.FundsFees, "EUR", nil) {
		r.must(err, "ClientWallets.Transactions")
	}
}

func (r *run) transactions() {
	t, c, ctx := r.t, r.c, r.ctx
	id := func(x mangopay.Transaction) string { return x.Id }
	if !contains(t, c.Transactions.ListByWallet(ctx, r.ownerWal, &mangopay.ListOptions{Type: []string{"TRANSFER"}}), id, r.transfer) {
		t.Errorf("ListByWallet(TRANSFER) lacks %s", r.transfer)
	}
	if !contains(t, c.Transactions.ListByUser(ctx, r.payer, &mangopay.ListOptions{Type: []string{"PAYIN"}, Status: []string{"SUCCEEDED"}}), id, r.payin) {
		t.Errorf("Transactions.ListByUser(PAYIN) lacks %s", r.payin)
	}
	pg, err := c.Transactions.ListByWalletPage(ctx, r.payerWallet, &mangopay.ListOptions{Status: []string{"FAILED"}, PerPage: 5})
	r.must(err, "ListByWalletPage")
	if len(pg.Items) != 1 || pg.Items[0].ResultCode != "001001" {
		t.Errorf("ListByWalletPage(FAILED) = %+v, want the short transfer", pg.Items)
	}
	up, err := c.Transactions.ListByUserPage(ctx, r.owner, &mangopay.ListOptions{Nature: []string{"REGULAR"}, Type: []string{"PAYOUT"}})
	r.must(err, "ListByUserPage")
	if len(up.Items) != 1 {
		t.Errorf("ListByUserPage(PAYOUT) = %+v, want the payout", up.Items)
	}
}
