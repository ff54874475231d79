package executor

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"settle/plan"
)

// RenderOptions control the human rendering of previews and summaries.
type RenderOptions struct {
	// Color turns on ANSI colours (the caller decides: a terminal and no
	// NO_COLOR in the environment).
	Color bool
	// Target names the target the plan runs against; shown in the header
	// when not empty.
	Target string
	// BaseURL is the API the target answers at, shown in the header after
	// the target when not empty (DESIGN §13: the header names both).
	BaseURL string
}

// ANSI colour codes, one per action.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
	ansiDim     = "\x1b[2m"
)

// actionColor is the colour of an action's symbol.
func actionColor(a Action) string {
	switch a {
	case Create:
		return ansiGreen
	case Update:
		return ansiYellow
	case Blocked:
		return ansiRed
	case InDoubt:
		return ansiMagenta
	case Adopt:
		return ansiCyan
	}
	return ansiDim
}

// paint wraps s in colour when opts ask for it.
func (o RenderOptions) paint(color, s string) string {
	if !o.Color || color == "" {
		return s
	}
	return color + s + ansiReset
}

// minorDigits is the number of decimals of a currency's minor unit
// (ISO 4217): 2 for every currency MANGOPAY supports except JPY.
func minorDigits(currency string) int {
	if currency == "JPY" {
		return 0
	}
	return 2
}

// FormatAmount prints an amount in minor units as a decimal number
// ("5000" EUR is "50.00"), with integer arithmetic only, so nothing is
// ever rounded.
func FormatAmount(minor int64, currency string) string {
	digits := minorDigits(currency)
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign = "-"
		u = uint64(-(minor + 1)) + 1 // safe for math.MinInt64
	}
	if digits == 0 {
		return fmt.Sprintf("%s%d", sign, u)
	}
	unit := uint64(1)
	for range digits {
		unit *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, u/unit, digits, u%unit)
}

// FormatMoney is FormatAmount followed by the currency: "50.00 EUR".
func FormatMoney(minor int64, currency string) string {
	return FormatAmount(minor, currency) + " " + currency
}

// shortKey drops the kind prefix of a step key: "wallet/alice" -> "alice".
func shortKey(stepKey string) string {
	if _, rest, ok := strings.Cut(stepKey, "/"); ok {
		return rest
	}
	return stepKey
}

// flow describes where a money step's funds come from and go to, as its
// kind's flow says ("card alice-visa -> alice", "garden -> bank
// cyrano-iban"), else from wallet to wallet: "alice -> garden".
func flow(s *plan.Step) string {
	if k := kindOf(s.Kind); k != nil && k.flow != nil {
		return k.flow(s)
	}
	return shortKey(s.Debited) + " -> " + shortKey(s.Credited)
}

// cardOf names a money step's card in a flow: "card alice-visa".
func cardOf(s *plan.Step) string {
	if s.Card == "" {
		return "card"
	}
	return "card " + shortKey(s.Card)
}

// moneyCell is the amount of a money step, right-aligned by the caller
// ("50.00 EUR"), and its flow with the fee ("alice -> garden  fee 4.00").
func moneyCell(s *plan.Step) (amount, rest string) {
	if !isMoney(s.Kind) {
		return "", ""
	}
	rest = flow(s)
	if s.Fees != 0 {
		rest += "  fee " + FormatAmount(s.Fees, s.Currency)
	}
	return FormatMoney(s.Amount, s.Currency), rest
}

// Counts tallies a preview's changes by action.
type Counts struct {
	Create, Update, Unchanged, Adopt, Blocked, InDoubt int
}

// Count tallies the changes of p by action.
func Count(p *Preview) Counts {
	var n Counts
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			n.Create++
		case Update:
			n.Update++
		case Unchanged:
			n.Unchanged++
		case Adopt:
			n.Adopt++
		case Blocked:
			n.Blocked++
		case InDoubt:
			n.InDoubt++
		}
	}
	return n
}

// RenderPreview writes the human plan: one line per step in step order,
// the per-wallet balances before and after, the fees, the call budget, and
// a closing "Plan: ..." line. Adopted steps are counted as unchanged in
// that line: settle never writes them.
func RenderPreview(w io.Writer, p *Preview, opts RenderOptions) error {
	ew := &errWriter{w: w}
	renderHeader(ew, p, opts)
	renderChanges(ew, p, opts)
	renderWallets(ew, p)
	renderFees(ew, p)
	renderBudget(ew, p)
	n := Count(p)
	ew.printf("\n%s %d to create, %d to update, %d unchanged, %d blocked, %d in doubt.\n",
		opts.paint(ansiBold, "Plan:"), n.Create, n.Update, n.Unchanged+n.Adopt, n.Blocked, n.InDoubt)
	return ew.err
}

// renderHeader writes the plan's name and target.
func renderHeader(ew *errWriter, p *Preview, opts RenderOptions) {
	name := ""
	if p.Plan != nil {
		name = p.Plan.Name
	}
	switch {
	case opts.Target != "" && opts.BaseURL != "":
		ew.printf("Plan %s on target %s (%s)\n\n", name, opts.Target, opts.BaseURL)
		return
	case opts.Target != "":
		ew.printf("Plan %s on target %s\n\n", name, opts.Target)
		return
	}
	ew.printf("Plan %s\n\n", name)
}

// renderChanges writes one line per step, with its reason and drift:
// symbol, key, amount (right-aligned), flow and fee.
func renderChanges(ew *errWriter, p *Preview, opts RenderOptions) {
	keyW, amtW := 0, 0
	for _, c := range p.Changes {
		keyW = max(keyW, len(c.Step.Key))
		amount, _ := moneyCell(c.Step)
		amtW = max(amtW, len(amount))
	}
	for _, c := range p.Changes {
		amount, rest := moneyCell(c.Step)
		line := fmt.Sprintf("  %s %-*s", opts.paint(actionColor(c.Action), c.Action.String()), keyW, c.Step.Key)
		if amount != "" {
			line += fmt.Sprintf("  %*s  %s", amtW, amount, rest)
		}
		if c.Action == Adopt && c.ID != "" {
			line += "  (adopt " + c.ID + ")"
		}
		if c.Reason != "" {
			line += "  (" + c.Reason + ")"
		}
		ew.printf("%s\n", strings.TrimRight(line, " "))
		for _, d := range c.Drift {
			ew.printf("      %s %s\n", opts.paint(ansiYellow, "~"), d)
		}
		if c.Warning != "" {
			ew.printf("      %s %s\n", opts.paint(ansiYellow, "warning:"), c.Warning)
		}
	}
}

// renderWallets writes the pre-flight balances of every wallet whose
// balance the run changes or that holds money.
func renderWallets(ew *errWriter, p *Preview) {
	if len(p.Wallets) == 0 {
		return
	}
	width := 0
	for _, b := range p.Wallets {
		width = max(width, len(shortKey(b.Key)))
	}
	ew.printf("\nWallets (before -> after):\n")
	for _, b := range p.Wallets {
		mark := " "
		if b.Before != b.After {
			mark = "*"
		}
		ew.printf("  %s %-*s  %12s -> %12s %s\n", mark, width, shortKey(b.Key),
			FormatAmount(b.Before, b.Currency), FormatAmount(b.After, b.Currency), b.Currency)
	}
}

// MoneyTotal is an amount in one currency.
type MoneyTotal struct {
	Currency string `json:"currency"`
	Amount   int64  `json:"amount"`
}

// PreviewFees sums, per currency, the platform fees the steps that will be
// written take (refunds that hand fees back count negatively), as the
// money model counts them. Currencies without a fee are left out. Sorted
// by currency.
func PreviewFees(p *Preview) []MoneyTotal {
	sums := map[string]int64{}
	for _, c := range p.Changes {
		if !runs(c.Action) || !isMoney(c.Step.Kind) || c.Step.Fees == 0 {
			continue
		}
		var t CampaignTotals
		t.Add(movementOf(c.Step, PhaseDone))
		sums[c.Step.Currency] += t.PlatformFees
	}
	out := make([]MoneyTotal, 0, len(sums))
	for cur, v := range sums {
		out = append(out, MoneyTotal{Currency: cur, Amount: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// renderFees writes the fee totals.
func renderFees(ew *errWriter, p *Preview) {
	fees := PreviewFees(p)
	if len(fees) == 0 {
		return
	}
	parts := make([]string, len(fees))
	for i, f := range fees {
		parts[i] = FormatMoney(f.Amount, f.Currency)
	}
	ew.printf("\nFees: %s\n", strings.Join(parts, ", "))
}

// renderBudget writes the calls still to make, the least time MANGOPAY's
// rate limits let them take, and the reads the plan made.
func renderBudget(ew *errWriter, p *Preview) {
	read := fmt.Sprintf("reading the state took %d", p.Reads)
	switch p.Reading {
	case ReadRefresh:
		read += ": --refresh, everything a decision depends on read"
	case ReadFull:
		read += ": nothing final in the journal, everything read"
	}
	if p.Trusted > 0 {
		read += fmt.Sprintf(": %d final steps taken from the journal, the campaigns' wallets checked", p.Trusted)
	}
	if len(p.Rechecked) > 0 {
		read += fmt.Sprintf("; read in full, their wallet not as the journal implies: %s", strings.Join(p.Rechecked, ", "))
	}
	switch {
	case p.Calls == 0:
		ew.printf("\nAPI calls to apply: 0, nothing is left to do (%s)\n", read)
	case p.MinDuration <= 0:
		ew.printf("\nAPI calls to apply: %d writes and status polls, within MANGOPAY's rate limits (%s)\n", p.Calls, read)
	default:
		ew.printf("\nAPI calls to apply: %d writes and status polls; MANGOPAY's rate limits make them take at least %s (%s)\n",
			p.Calls, formatDuration(p.MinDuration), read)
	}
}

// formatDuration prints a duration to the tenth of a second under a
// minute ("0s", "1.5s") and to the second above ("1m30s").
func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// errWriter keeps the first write error so renderers can write freely.
type errWriter struct {
	w   io.Writer
	err error
}

// printf writes unless an earlier write failed.
func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
