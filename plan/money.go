package plan

import (
	"math"
	"math/bits"
)

// campaignMoney is the money of one campaign, in minor units, as the steps
// move it. The plan balances when, with received = Σ amount − Σ
// transferFee: payout ≤ received (stays = received − payout ≥ 0) and
// payoutFee ≤ payout. Then money in (Σ amount) = transfer fees + payout
// debited + what stays in the project wallet.
type campaignMoney struct {
	transferFee []int64 // fee of each contribution's transfer
	collected   int64   // Σ amount
	received    int64   // what the project wallet receives
	payout      int64   // debited by the payout (succeeded campaigns)
	payoutFee   int64   // fee taken on the payout
	overflow    bool    // a sum did not fit in int64
}

// feeOf computes a fee on an amount: a percentage rounded down to the cent
// (in the payers' favour), or a fixed amount.
func feeOf(f *Fees, amount int64) int64 {
	switch {
	case f == nil:
		return 0
	case f.Percent != nil:
		return percentOf(amount, *f.Percent)
	case f.Fixed != nil:
		return *f.Fixed
	}
	return 0
}

// percentOf returns floor(amount × percent / 100) exactly: the percentage
// (at most 2 decimals, as the schema ensures) is taken in basis points and
// the product computed in 128 bits.
func percentOf(amount int64, percent float64) int64 {
	if amount <= 0 {
		return 0
	}
	bp := uint64(math.Round(percent * 100))
	hi, lo := bits.Mul64(uint64(amount), bp)
	if hi >= 10000 {
		return amount // percent above 100: reported by the schema
	}
	q, _ := bits.Div64(hi, lo, 10000)
	return int64(q)
}

// feesOn returns where a campaign's fee is taken.
func feesOn(f *Fees) string {
	if f == nil || f.On == "" {
		return FeesOnPayout
	}
	return f.On
}

// addInt64 adds two non-negative amounts, reporting overflow.
func addInt64(a, b int64) (int64, bool) {
	s, carry := bits.Add64(uint64(a), uint64(b), 0)
	if carry != 0 || s > math.MaxInt64 {
		return math.MaxInt64, false
	}
	return int64(s), true
}

// moneyOf computes a campaign's money. It needs valid amounts (positive).
func moneyOf(c *Campaign) campaignMoney {
	var m campaignMoney
	m.transferFee = make([]int64, len(c.Contributions))
	onTransfer := feesOn(c.Fees) == FeesOnTransfer
	ok := true
	for i, x := range c.Contributions {
		if onTransfer {
			m.transferFee[i] = feeOf(c.Fees, x.Amount)
		}
		var okA, okR bool
		m.collected, okA = addInt64(m.collected, x.Amount)
		m.received, okR = addInt64(m.received, max(x.Amount-m.transferFee[i], 0))
		ok = ok && okA && okR
	}
	m.overflow = !ok
	m.payout = m.received
	if c.Payout != nil && c.Payout.Amount != nil {
		m.payout = *c.Payout.Amount
	}
	if !onTransfer {
		m.payoutFee = feeOf(c.Fees, m.collected)
	}
	return m
}
