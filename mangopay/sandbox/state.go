package sandbox

import (
	"iter"
	"sort"
	"time"

	"settle/mangopay"
)

// The sandbox's resources live in a state value guarded by Server.mu. Every
// kind of object has a table keyed by Id; lists are kept in creation order
// (by a sequence number every record carries, so that the order survives a
// restore in any order) and per-owner indexes make list calls cost what
// they return rather than the size of the whole state.

// ordered is a list of Ids kept sorted by sequence number.
type ordered struct {
	ids  []string
	seqs []int64
}

// add inserts id at its place by seq (appending in the usual case).
func (o *ordered) add(id string, seq int64) {
	n := len(o.seqs)
	if n == 0 || o.seqs[n-1] <= seq {
		o.ids = append(o.ids, id)
		o.seqs = append(o.seqs, seq)
		return
	}
	i := sort.Search(n, func(i int) bool { return o.seqs[i] > seq })
	o.ids = append(o.ids, "")
	o.seqs = append(o.seqs, 0)
	copy(o.ids[i+1:], o.ids[i:])
	copy(o.seqs[i+1:], o.seqs[i:])
	o.ids[i], o.seqs[i] = id, seq
}

// table holds the records of one kind by Id, in creation order.
type table[T any] struct {
	m     map[string]*T
	order ordered
}

func newTable[T any]() *table[T] { return &table[T]{m: map[string]*T{}} }

// put stores v under id and reports whether id is new.
func (t *table[T]) put(id string, seq int64, v *T) bool {
	_, old := t.m[id]
	t.m[id] = v
	if !old {
		t.order.add(id, seq)
	}
	return !old
}

// get returns the record with Id id.
func (t *table[T]) get(id string) (*T, bool) {
	v, ok := t.m[id]
	return v, ok
}

// index maps an owner key (a user, wallet, card ... Id) to Ids in creation order.
type index map[string]*ordered

func (ix index) add(key, id string, seq int64) {
	o := ix[key]
	if o == nil {
		o = &ordered{}
		ix[key] = o
	}
	o.add(id, seq)
}

func (ix index) ids(key string) []string {
	if o := ix[key]; o != nil {
		return o.ids
	}
	return nil
}

// state is everything the sandbox knows. Guarded by Server.mu.
type state struct {
	seq int64 // last sequence number handed out

	users      *table[userRec]
	wallets    *table[walletRec]
	banks      *table[bankRec]
	kycs       *table[kycRec]
	cardRegs   *table[cardRegRec]
	cardToks   *table[cardTokenRec]
	cards      *table[cardRec]
	payins     *table[payinRec]
	transfers  *table[transferRec]
	refunds    *table[refundRec]
	payouts    *table[payoutRec]
	hooks      *table[hookRec]
	recipients *table[recipientRec]
	idvs       *table[idvRec]
	events     *table[eventRec]

	// ledger holds every money movement; balances[account] is the running
	// sum of its postings (wallet Ids, "card:<Id>", "bank:<Id>").
	ledger   *table[ledgerEntry]
	balances map[string]int64

	userWallets    index             // user -> wallets
	userBanks      index             // user -> bank accounts
	userCards      index             // user -> cards
	userKYC        index             // user -> KYC documents
	userRecipients index             // user -> recipients
	userIDVs       index             // user -> identity verification sessions
	clientWlts     index             // "" -> client wallets
	txByWallet     index             // wallet -> transactions
	txByUser       index             // user -> transactions
	txByCard       index             // card -> pay-ins
	txByBank       index             // bank account -> payouts
	refundsOf      index             // pay-in, transfer or payout -> refunds
	eventsOf       index             // EventType -> events
	hookOf         map[string]string // EventType -> hook
	regByURL       map[string]string // tokenization URL token -> card registration

	// kycPages holds the pages of each KYC document, page N at N-1.
	kycPages map[string][]*kycPageRec

	// pendingKYC and pendingPayouts are the documents and payouts waiting
	// for their delay, in due order (see advance).
	pendingKYC     []pending
	pendingPayouts []pending
	// pendingCards queues cards created UNKNOWN in order of their 24-hour
	// validity deadline (see cardvalidity.go); a card paid with meanwhile
	// stays queued and is skipped when due.
	pendingCards []pending
	// pendingRecipients, pendingTransfers and pendingIDVs are the PENDING
	// recipients, the transfers waiting for SCA and the PENDING identity
	// verification sessions, in due order (recipients.go, scagate.go, idv.go).
	pendingRecipients []pending
	pendingTransfers  []pending
	pendingIDVs       []pending

	ids idGen
}

// pending is an object due for processing at Due (Unix nanoseconds).
type pending struct {
	ID  string
	Due int64
}

func newState() *state {
	return &state{
		users: newTable[userRec](), wallets: newTable[walletRec](), banks: newTable[bankRec](),
		kycs: newTable[kycRec](), cardRegs: newTable[cardRegRec](), cardToks: newTable[cardTokenRec](),
		cards: newTable[cardRec](), payins: newTable[payinRec](), transfers: newTable[transferRec](),
		refunds: newTable[refundRec](), payouts: newTable[payoutRec](), hooks: newTable[hookRec](),
		events: newTable[eventRec](), recipients: newTable[recipientRec](), idvs: newTable[idvRec](),
		userRecipients: index{}, userIDVs: index{}, ledger: newTable[ledgerEntry](), balances: map[string]int64{},
		userWallets: index{}, userBanks: index{}, userCards: index{}, userKYC: index{}, clientWlts: index{},
		txByWallet: index{}, txByUser: index{}, txByCard: index{}, txByBank: index{}, refundsOf: index{},
		eventsOf: index{}, hookOf: map[string]string{}, regByURL: map[string]string{}, kycPages: map[string][]*kycPageRec{},
		ids: newIDGen(),
	}
}

// nextSeq hands out the next sequence number.
func (st *state) nextSeq() int64 {
	st.seq++
	return st.seq
}

// seen raises the sequence counter past a restored record's.
func (st *state) seen(seq int64) {
	if seq > st.seq {
		st.seq = seq
	}
}

// popDue yields the entries of the pending queue *q that are due at now,
// in due order, taking each out of the queue before yielding it: what the
// processing of one entry requeues is seen by the same loop. It is how the
// clock's advance* functions take their work.
func popDue(q *[]pending, now time.Time) iter.Seq[string] {
	return func(yield func(string) bool) {
		for len(*q) > 0 && (*q)[0].Due <= now.UnixNano() {
			id := (*q)[0].ID
			*q = (*q)[1:]
			if !yield(id) {
				return
			}
		}
	}
}

// addPending inserts p in due order.
func addPending(q []pending, p pending) []pending {
	i := sort.Search(len(q), func(i int) bool { return q[i].Due > p.Due })
	q = append(q, pending{})
	copy(q[i+1:], q[i:])
	q[i] = p
	return q
}

// indexTx records a transaction in the per-wallet and per-user indexes.
func (st *state) indexTx(id string, seq int64, t *mangopay.Transaction) {
	users := map[string]bool{}
	for _, w := range []string{string(t.DebitedWalletId), string(t.CreditedWalletId)} {
		if w == "" {
			continue
		}
		st.txByWallet.add(w, id, seq)
		if wr, ok := st.wallets.get(w); ok && len(wr.W.Owners) == 1 {
			users[wr.W.Owners[0]] = true
		}
	}
	if t.AuthorId != "" {
		users[t.AuthorId] = true
	}
	if t.CreditedUserId != "" {
		users[string(t.CreditedUserId)] = true
	}
	keys := make([]string, 0, len(users))
	for u := range users {
		keys = append(keys, u)
	}
	sort.Strings(keys)
	for _, u := range keys {
		st.txByUser.add(u, id, seq)
	}
}

// transaction returns the generic view of any transaction. Ids carry
// their kind's prefix, so at most one table holds id.
func (st *state) transaction(id string) (mangopay.Transaction, bool) {
	if p, ok := st.payins.get(id); ok {
		return p.P.Transaction, true
	}
	if t, ok := st.transfers.get(id); ok {
		return t.T.Transaction, true
	}
	if r, ok := st.refunds.get(id); ok {
		return r.R.Transaction, true
	}
	if p, ok := st.payouts.get(id); ok {
		return p.P.Transaction, true
	}
	return mangopay.Transaction{}, false
}
