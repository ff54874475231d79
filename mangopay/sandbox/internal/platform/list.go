package platform

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// List is what a list handler returns: the already filtered items in
// creation order (oldest first). The API applies Sort, BeforeDate,
// AfterDate, page and per_page, writes the bare JSON array and sets
// X-Number-Of-Pages, X-Number-Of-Items and Link.
type List struct {
	items   []any
	created []int64 // CreationDate of items[i]
}

// NewList builds a List from items in creation order.
func NewList[T any](items []T, created func(T) int64) List {
	lr := List{items: make([]any, len(items)), created: make([]int64, len(items))}
	for i, it := range items {
		lr.items[i] = it
		lr.created[i] = created(it)
	}
	return lr
}

// Pagination defaults. per_page outside [1, maxPerPage] or page < 0 is a
// 400 param_error (MANGOPAY's documented maximum is 100; the answer above it
// is unconfirmed, and an error is easier to notice than a silent clamp).
const (
	defaultPerPage = 10
	maxPerPage     = 100
)

// renderList applies BeforeDate/AfterDate (inclusive, Unix seconds against
// CreationDate), Sort (CreationDate:ASC or CreationDate:DESC in any case;
// default DESC, newest first, as MANGOPAY's reference snippet documents) and
// page/per_page, and renders the bare array with X-Number-Of-Pages,
// X-Number-Of-Items and Link. An empty list has 0 pages; Link still names
// page 1 as first and last.
func (a *API) renderList(c *Call, lr List) *response {
	page, perPage, e := c.paging()
	if e == nil {
		e = c.checkSort()
	}
	if e != nil {
		return a.renderError(e, c.Now)
	}
	idx, e := c.dateWindow(lr)
	if e != nil {
		return a.renderError(e, c.Now)
	}
	asc := strings.HasSuffix(strings.ToUpper(c.Query("Sort")), ":ASC")
	sort.SliceStable(idx, func(a, b int) bool {
		if asc {
			return lr.created[idx[a]] < lr.created[idx[b]]
		}
		return lr.created[idx[a]] > lr.created[idx[b]] || (lr.created[idx[a]] == lr.created[idx[b]] && idx[a] > idx[b])
	})
	total := len(idx)
	pages := (total + perPage - 1) / perPage
	from, to := min((page-1)*perPage, total), min(page*perPage, total)
	items := make([]any, 0, to-from)
	for _, i := range idx[from:to] {
		items = append(items, lr.items[i])
	}
	resp := a.render(c, http.StatusOK, items)
	resp.header = http.Header{
		"X-Number-Of-Pages": {strconv.Itoa(pages)},
		"X-Number-Of-Items": {strconv.Itoa(total)},
		"Link":              {a.linkHeader(c.Request, page, perPage, pages)},
	}
	return resp
}

// paging reads page and per_page.
func (c *Call) paging() (page, perPage int, e *Error) {
	page, perPage = 1, defaultPerPage
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, FieldError("page", "The field page must be a positive integer.")
		}
		page = max(n, 1) // page=0 is the first page, as MANGOPAY answers it
	}
	if v := c.Query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPerPage {
			return 0, 0, FieldError("per_page", fmt.Sprintf("The field per_page must be between 1 and %d.", maxPerPage))
		}
		perPage = n
	}
	return page, perPage, nil
}

// checkSort accepts no Sort or CreationDate:ASC|DESC in any case.
func (c *Call) checkSort() *Error {
	v := strings.ToUpper(c.Query("Sort"))
	if v == "" || v == "CREATIONDATE:ASC" || v == "CREATIONDATE:DESC" {
		return nil
	}
	return FieldError("Sort", "The Sort parameter must be CreationDate:ASC or CreationDate:DESC.")
}

// dateWindow returns the indexes of the items inside BeforeDate/AfterDate.
func (c *Call) dateWindow(lr List) ([]int, *Error) {
	before, hasBefore, e := c.UnixParam("BeforeDate")
	if e != nil {
		return nil, e
	}
	after, hasAfter, e := c.UnixParam("AfterDate")
	if e != nil {
		return nil, e
	}
	idx := make([]int, 0, len(lr.items))
	for i, created := range lr.created {
		if (hasBefore && created > before) || (hasAfter && created < after) {
			continue
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// linkHeader builds MANGOPAY's Link header: absolute URLs carrying the
// original query (minus page and per_page) plus &page=N&per_page=M, first
// and last always, prev and next when they exist, joined by "," with no space.
func (a *API) linkHeader(r *http.Request, page, perPage, pages int) string {
	base := a.PublicURL(r) + r.URL.EscapedPath() + "?"
	var kept []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if kv == "" || strings.EqualFold(k, "page") || strings.EqualFold(k, "per_page") {
			continue
		}
		kept = append(kept, kv)
	}
	if len(kept) > 0 {
		base += strings.Join(kept, "&") + "&"
	}
	link := func(p int, rel string) string {
		return fmt.Sprintf(`<%spage=%d&per_page=%d>; rel="%s"`, base, p, perPage, rel)
	}
	last := max(pages, 1)
	parts := []string{link(1, "first")}
	if page > 1 {
		parts = append(parts, link(min(page-1, last), "prev"))
	}
	if page < pages {
		parts = append(parts, link(page+1, "next"))
	}
	parts = append(parts, link(last, "last"))
	return strings.Join(parts, ",")
}

// PublicURL is the scheme://host[:port] of the URLs the sandbox hands out:
// Config.PublicURL, else taken from the request.
func (a *API) PublicURL(r *http.Request) string {
	if a.cfg.PublicURL != "" {
		return a.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// requestURL is the absolute URL of r as the client sent it.
func (a *API) requestURL(r *http.Request) string {
	u := a.PublicURL(r) + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}
