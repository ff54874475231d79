package sandbox

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// hookRec is a stored hook.
type hookRec struct {
	Seq int64         `json:"Seq"`
	H   mangopay.Hook `json:"H"`
}

func (s *Server) putHook(h *hookRec) {
	s.st.putHook(h)
	s.save("hook", h.H.Id, h)
}

func (st *state) putHook(h *hookRec) {
	st.seen(h.Seq)
	st.hooks.put(h.H.Id, h.Seq, h)
	st.hookOf[h.H.EventType] = h.H.Id
}

// checkHookURL wants an absolute http(s) URL of at most apirules.TextMax
// characters.
func checkHookURL(f fieldErrs, v string) {
	u, err := url.Parse(v)
	switch {
	case v == "":
		f.required("Url")
	case len(v) > apirules.TextMax:
		f.add("Url", fmt.Sprintf("The field Url must be a string with a maximum length of %d.", apirules.TextMax))
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		f.add("Url", "The Url field is not a valid fully-qualified http or https URL.")
	}
}

// createHook is POST /hooks: one hook per EventType.
func (s *Server) createHook(c *call) (int, any) {
	var req struct{ EventType, Url, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	var et, u, tag string
	setStr(&et, req.EventType)
	setStr(&u, req.Url)
	setStr(&tag, req.Tag)
	et = strings.ToUpper(et)
	f := fieldErrs{}
	switch {
	case et == "":
		f.required("EventType")
	case !eventTypes[et]:
		f.add("EventType", fmt.Sprintf("The value %s is not valid for EventType.", et))
	case s.st.hookOf[et] != "":
		f.add("EventType", "A hook has already been registered for this EventType")
	}
	checkHookURL(f, u)
	checkLen(f, "Tag", tag, false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	h := &hookRec{Seq: s.st.nextSeq(), H: mangopay.Hook{Url: u, Status: "ENABLED", Validity: "VALID", EventType: et,
		Id: s.newID("hook_m_"), Tag: mangopay.NullString(tag), CreationDate: s.hookCreationDate(c.Now)}}
	s.putHook(h)
	return 200, &h.H
}

// hookCreationDate is a new hook's CreationDate: now, or one second after
// the newest hook when that one is as recent. The SDKs sort hooks by
// CreationDate, so hooks created within the same second would otherwise
// lose their creation order.
func (s *Server) hookCreationDate(now time.Time) int64 {
	at := now.Unix()
	if ids := s.st.hooks.order.ids; len(ids) > 0 {
		if last := s.st.hooks.m[ids[len(ids)-1]].H.CreationDate; last >= at {
			at = last + 1
		}
	}
	return at
}

// hook finds a hook or answers the 404.
func (s *Server) hook(id string) (*hookRec, *apiError) {
	h, ok := s.st.hooks.get(id)
	if !ok {
		return nil, errNotFound("Hook", id)
	}
	return h, nil
}

// getHook is GET /hooks/{id}.
func (s *Server) getHook(c *call) (int, any) {
	h, e := s.hook(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	return 200, &h.H
}

// updateHook is PUT /hooks/{id}: Url, Status (ENABLED or DISABLED),
// Validity (VALID revives a hook) and Tag.
func (s *Server) updateHook(c *call) (int, any) {
	h, e := s.hook(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	var req struct{ Url, Status, Validity, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	nh := *h
	f := fieldErrs{}
	if req.Url != nil {
		nh.H.Url = strings.TrimSpace(*req.Url)
		checkHookURL(f, nh.H.Url)
	}
	if req.Status != nil && *req.Status != "" {
		nh.H.Status = strings.ToUpper(*req.Status)
		if nh.H.Status != "ENABLED" && nh.H.Status != "DISABLED" {
			f.add("Status", fmt.Sprintf("The value %s is not valid for Status.", *req.Status))
		}
	}
	if req.Validity != nil && *req.Validity != "" {
		nh.H.Validity = strings.ToUpper(*req.Validity)
		if nh.H.Validity != "VALID" && nh.H.Validity != "INVALID" {
			f.add("Validity", fmt.Sprintf("The value %s is not valid for Validity.", *req.Validity))
		}
	}
	setNull(&nh.H.Tag, req.Tag)
	checkLen(f, "Tag", string(nh.H.Tag), false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	s.putHook(&nh)
	return 200, &nh.H
}

// listHooks is GET /hooks.
func (s *Server) listHooks(c *call) (int, any) {
	out := make([]*mangopay.Hook, 0, len(s.st.hooks.order.ids))
	for _, id := range s.st.hooks.order.ids {
		out = append(out, &s.st.hooks.m[id].H)
	}
	return 200, platform.NewList(out, func(h *mangopay.Hook) int64 { return h.CreationDate })
}
