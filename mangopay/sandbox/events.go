package sandbox

import (
	"net/url"
	"sort"
	"strconv"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// eventRec is a stored event.
type eventRec struct {
	Seq int64          `json:"Seq"`
	E   mangopay.Event `json:"E"`
}

// eventTypes are the EventTypes the sandbox emits or accepts on hooks.
var eventTypes = map[string]bool{}

func init() {
	for _, t := range []string{
		"KYC_CREATED", "KYC_VALIDATION_ASKED", "KYC_SUCCEEDED", "KYC_FAILED", "KYC_OUTDATED",
		"USER_KYC_REGULAR", "USER_KYC_LIGHT", "USER_INFLOWS_BLOCKED", "USER_INFLOWS_UNBLOCKED",
		"USER_OUTFLOWS_BLOCKED", "USER_OUTFLOWS_UNBLOCKED",
		"PAYIN_NORMAL_CREATED", "PAYIN_NORMAL_SUCCEEDED", "PAYIN_NORMAL_FAILED",
		"TRANSFER_NORMAL_CREATED", "TRANSFER_NORMAL_SUCCEEDED", "TRANSFER_NORMAL_FAILED",
		"PAYIN_REFUND_CREATED", "PAYIN_REFUND_SUCCEEDED", "PAYIN_REFUND_FAILED",
		"TRANSFER_REFUND_CREATED", "TRANSFER_REFUND_SUCCEEDED", "TRANSFER_REFUND_FAILED",
		"PAYOUT_REFUND_CREATED", "PAYOUT_REFUND_SUCCEEDED", "PAYOUT_REFUND_FAILED",
		"PAYOUT_NORMAL_CREATED", "PAYOUT_NORMAL_SUCCEEDED", "PAYOUT_NORMAL_FAILED",
		"INSTANT_PAYOUT_SUCCEEDED", "INSTANT_PAYOUT_FALLBACKED",
		"USER_ACCOUNT_VALIDATION_ASKED", "USER_ACCOUNT_ACTIVATED", "USER_CATEGORY_UPDATED_TO_OWNER",
		"PAYIN_REPUDIATION_CREATED", "PAYIN_REPUDIATION_SUCCEEDED", "PAYIN_REPUDIATION_FAILED",
		"DISPUTE_CREATED", "DISPUTE_SUBMITTED", "DISPUTE_ACTION_REQUIRED", "DISPUTE_FURTHER_ACTION_REQUIRED",
		"DISPUTE_CLOSED", "DISPUTE_SENT_TO_BANK", "UBO_DECLARATION_CREATED", "UBO_DECLARATION_VALIDATION_ASKED",
		"UBO_DECLARATION_VALIDATED", "UBO_DECLARATION_REFUSED", "UBO_DECLARATION_INCOMPLETE",
		"RECIPIENT_ACTIVE", "RECIPIENT_CANCELED", "RECIPIENT_DEACTIVATED",
		"IDENTITY_VERIFICATION_VALIDATED", "IDENTITY_VERIFICATION_FAILED", "IDENTITY_VERIFICATION_INCONCLUSIVE",
		"IDENTITY_VERIFICATION_OUTDATED", "IDENTITY_VERIFICATION_EXPIRED",
		"SCA_ENROLLMENT_SUCCEEDED", "SCA_ENROLLMENT_FAILED", "SCA_ENROLLMENT_EXPIRED",
	} {
		eventTypes[t] = true
	}
}

// emit records an event synchronously and queues one delivery for the
// ENABLED hook of its EventType: GET <Url>?EventType=..&RessourceId=..&Date=..
// (RessourceId with a double s, as MANGOPAY spells it).
func (s *Server) emit(now time.Time, eventType, resourceID string) {
	seq := s.st.nextSeq()
	ev := &eventRec{Seq: seq, E: mangopay.Event{ResourceId: resourceID, EventType: eventType, Date: now.Unix()}}
	key := strconv.FormatInt(seq, 10)
	s.st.putEvent(key, ev)
	s.save("event", key, ev)
	hid, ok := s.st.hookOf[eventType]
	if !ok {
		return
	}
	h, ok := s.st.hooks.get(hid)
	if !ok || h.H.Status != "ENABLED" || h.H.Validity != "VALID" {
		return
	}
	sep := "?"
	if u, err := url.Parse(h.H.Url); err == nil && u.RawQuery != "" {
		sep = "&"
	}
	s.enqueueDelivery(h.H.Url + sep + "EventType=" + url.QueryEscape(eventType) +
		"&RessourceId=" + url.QueryEscape(resourceID) + "&Date=" + strconv.FormatInt(now.Unix(), 10))
}

// putEvent stores an event and indexes it by type.
func (st *state) putEvent(key string, ev *eventRec) {
	st.seen(ev.Seq)
	if st.events.put(key, ev.Seq, ev) {
		st.eventsOf.add(ev.E.EventType, key, ev.Seq)
	}
}

// eventWindow is how far back GET /events may search.
const eventWindow = 45 * 24 * time.Hour

// listEvents is GET /events. The current docs make EventType required;
// older SDKs call without it, so it is optional here but honoured
// (comma lists and repeated keys allowed). Dates older than 45 days are
// refused with MANGOPAY's 400.
func (s *Server) listEvents(c *call) (int, any) {
	limit := c.Now.Add(-eventWindow).Unix()
	for _, name := range []string{"AfterDate", "BeforeDate"} {
		v, set, e := c.UnixParam(name)
		if e != nil {
			return c.fail(e)
		}
		if set && v < limit {
			return c.fail(errParam(map[string]string{
				"AfterDate":  "Events older than 45 days can not be searched",
				"BeforeDate": "Events older than 45 days can not be searched",
			}))
		}
	}
	var keys []string
	if types := c.Filter("EventType"); types != nil {
		seen := map[string]bool{}
		for _, t := range types {
			if !seen[t] {
				seen[t] = true
				keys = append(keys, s.st.eventsOf.ids(t)...)
			}
		}
		if len(seen) > 1 {
			sort.Slice(keys, func(i, j int) bool { return s.st.events.m[keys[i]].Seq < s.st.events.m[keys[j]].Seq })
		}
	} else {
		keys = s.st.events.order.ids
	}
	out := make([]mangopay.Event, 0, len(keys))
	for _, k := range keys {
		out = append(out, s.st.events.m[k].E)
	}
	return 200, platform.NewList(out, func(e mangopay.Event) int64 { return e.Date })
}
