package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"

	"settle/mangopay"
)

// Persistence: every change calls s.save(kind, id, record) with one of the
// record types below; restore rebuilds the state from those records, the
// last record of a (kind, id) winning. Ledger entries are immutable and
// applied once, so balances come back exactly; pending KYC verdicts and
// payouts are re-queued from their status.

// restore rebuilds one persisted record.
func (st *state) restore(kind, id string, raw json.RawMessage) error {
	var err error
	switch kind {
	case "user":
		var u userRec
		if err = json.Unmarshal(raw, &u); err == nil && u.Natural == nil && u.Legal == nil {
			err = errors.New("neither natural nor legal")
		}
		if err == nil {
			st.seen(u.Seq)
			st.users.put(u.sum().Id, u.Seq, &u)
		}
	case "wallet":
		err = restoreInto(raw, st.putWallet)
	case "bankaccount":
		err = restoreInto(raw, st.putBank)
	case "kyc":
		err = restoreInto(raw, func(k *kycRec) {
			st.putKYC(k)
			st.pendingKYC = requeue(st.pendingKYC, k.D.Id, k.D.Status == mangopay.KYCStatusValidationAsked, k.Due)
		})
	case "kycpage":
		err = restoreInto(raw, func(p *kycPageRec) {
			if p.N >= 1 && p.N <= kycMaxPages {
				st.putKYCPage(p)
			}
		})
	case "cardreg":
		err = restoreInto(raw, st.putCardReg)
	case "cardtoken":
		err = restoreInto(raw, func(t *cardTokenRec) {
			st.seen(t.Seq)
			st.cardToks.put(t.Data, t.Seq, t)
		})
	case "card":
		err = restoreInto(raw, st.putCard)
	case "payin":
		err = restoreInto(raw, st.putPayin)
	case "transfer":
		err = restoreInto(raw, st.putTransfer)
	case "refund":
		err = restoreInto(raw, st.putRefund)
	case "payout":
		err = restoreInto(raw, func(p *payoutRec) {
			st.putPayout(p)
			st.pendingPayouts = requeue(st.pendingPayouts, p.P.Id, p.P.Status == mangopay.StatusCreated, p.Due)
		})
	case "recipient":
		err = restoreInto(raw, st.putRecipient)
	case "idv":
		err = restoreInto(raw, st.putIDV)
	case "hook":
		err = restoreInto(raw, st.putHook)
	case "event":
		err = restoreInto(raw, func(e *eventRec) { st.putEvent(id, e) })
	case "ledger":
		err = restoreInto(raw, st.applyEntry)
	default:
		return fmt.Errorf("sandbox: restore: unknown kind %q (id %s)", kind, id)
	}
	if err != nil {
		return fmt.Errorf("sandbox: restore %s %s: %w", kind, id, err)
	}
	return nil
}

// requeue gives id its place in a pending queue from its last record: out
// of the queue, then back in at due if it still waits (waiting) on the
// clock (due 0 waits for the admin API).
func requeue(q []pending, id string, waiting bool, due int64) []pending {
	q = dropPending(q, id)
	if waiting && due != 0 {
		q = addPending(q, pending{ID: id, Due: due})
	}
	return q
}

// dropPending removes id from a pending queue (restored queues stay small:
// what is processed leaves them).
func dropPending(q []pending, id string) []pending {
	for i := range q {
		if q[i].ID == id {
			return append(q[:i], q[i+1:]...)
		}
	}
	return q
}

// restoreInto decodes raw into a fresh T and hands it to put.
func restoreInto[T any](raw json.RawMessage, put func(*T)) error {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return err
	}
	put(v)
	return nil
}

// snapshot is the state dump of the admin API: every object as the API
// shows it, the balances of every account and what is waiting. base is the
// public scheme://host[:port] the user bodies' URLs are built on.
func (s *Server) snapshot(base string) any {
	st := s.st
	users := make([]any, 0, len(st.users.order.ids))
	for _, id := range st.users.order.ids {
		users = append(users, st.users.m[id].view(base))
	}
	wallets := make([]mangopay.Wallet, 0, len(st.wallets.order.ids))
	for _, id := range st.wallets.order.ids {
		wallets = append(wallets, s.walletView(st.wallets.m[id]))
	}
	return map[string]any{
		"Users":          users,
		"Wallets":        wallets,
		"BankAccounts":   views(st.banks, func(b *bankRec) any { return &b.B }),
		"KYCDocuments":   views(st.kycs, func(k *kycRec) any { return &k.D }),
		"Cards":          views(st.cards, func(k *cardRec) any { return &k.C }),
		"PayIns":         views(st.payins, func(p *payinRec) any { return &p.P }),
		"Transfers":      views(st.transfers, func(t *transferRec) any { return &t.T }),
		"Refunds":        views(st.refunds, func(r *refundRec) any { return &r.R }),
		"PayOuts":        views(st.payouts, func(p *payoutRec) any { return &p.P }),
		"Hooks":          views(st.hooks, func(h *hookRec) any { return &h.H }),
		"Balances":       st.balances,
		"LedgerEntries":  len(st.ledger.order.ids),
		"Events":         len(st.events.order.ids),
		"PendingKYC":     append([]pending{}, st.pendingKYC...),
		"PendingPayouts": append([]pending{}, st.pendingPayouts...),
		"PendingCards":   st.unknownCards(),
	}
}

// views renders a table in creation order.
func views[T any](t *table[T], view func(*T) any) []any {
	out := make([]any, 0, len(t.order.ids))
	for _, id := range t.order.ids {
		out = append(out, view(t.m[id]))
	}
	return out
}

// unknownCards is the validity queue as it stands: the queued cards still
// UNKNOWN. A card paid with before its deadline stays queued (and is skipped
// when due) live, but is not queued again on restore, so the dump leaves it out.
func (st *state) unknownCards() []pending {
	out := []pending{}
	for _, p := range st.pendingCards {
		if k, ok := st.cards.get(p.ID); ok && k.C.Validity == validityUnknown {
			out = append(out, p)
		}
	}
	return out
}
