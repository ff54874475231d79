package mangopay

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxPerPage is the largest page MANGOPAY serves; iterators use it.
const MaxPerPage = 100

// Page is one page of a list call.
type Page[T any] struct {
	// Items are the page's objects (never nil on success).
	Items []T
	// Page and PerPage are the page asked for.
	Page, PerPage int
	// TotalPages and TotalItems come from X-Number-Of-Pages and
	// X-Number-Of-Items; -1 when the answer did not carry them.
	TotalPages, TotalItems int
}

// HasNext reports whether a page follows this one.
func (p *Page[T]) HasNext() bool {
	if p.TotalPages >= 0 {
		return p.Page < p.TotalPages
	}
	return len(p.Items) >= p.PerPage && len(p.Items) > 0
}

// values encodes the options as MANGOPAY's query parameters. Multi-valued
// filters are sent comma-separated; PerPage is capped at [MaxPerPage], and
// Page and PerPage are left out when not positive.
func (o *ListOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	if o.PerPage > 0 {
		q.Set("per_page", strconv.Itoa(min(o.PerPage, MaxPerPage)))
	}
	setNonEmpty(q, "Sort", o.Sort)
	if o.BeforeDate != 0 {
		q.Set("BeforeDate", strconv.FormatInt(o.BeforeDate, 10))
	}
	if o.AfterDate != 0 {
		q.Set("AfterDate", strconv.FormatInt(o.AfterDate, 10))
	}
	setNonEmpty(q, "Status", strings.Join(o.Status, ","))
	setNonEmpty(q, "Type", strings.Join(o.Type, ","))
	setNonEmpty(q, "Nature", strings.Join(o.Nature, ","))
	setNonEmpty(q, "ResultCode", strings.Join(o.ResultCode, ","))
	if o.Active != nil {
		q.Set("Active", strconv.FormatBool(*o.Active))
	}
	setNonEmpty(q, "EventType", o.EventType)
	setNonEmpty(q, "RecipientScope", o.RecipientScope)
	return q
}

func setNonEmpty(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// listPage fetches one page of a list endpoint.
func listPage[T any](ctx context.Context, c *Client, path string, opts *ListOptions) (*Page[T], error) {
	o := ListOptions{}
	if opts != nil {
		o = *opts
	}
	o.Page = max(o.Page, 1)
	if o.PerPage <= 0 {
		o.PerPage = 10
	}
	o.PerPage = min(o.PerPage, MaxPerPage)
	p := &Page[T]{Page: o.Page, PerPage: o.PerPage}
	h, err := c.do(ctx, request{method: http.MethodGet, path: path, query: o.values()}, &p.Items)
	if err != nil {
		return nil, err
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	p.TotalPages = headerInt(h, "X-Number-Of-Pages")
	p.TotalItems = headerInt(h, "X-Number-Of-Items")
	return p, nil
}

// listAll iterates over every item of a list endpoint, 100 per page (or
// opts.PerPage), from opts.Page on. An error is yielded once, last.
func listAll[T any](ctx context.Context, c *Client, path string, opts *ListOptions) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		o := ListOptions{}
		if opts != nil {
			o = *opts
		}
		if o.PerPage <= 0 {
			o.PerPage = MaxPerPage
		}
		o.Page = max(o.Page, 1)
		for {
			p, err := listPage[T](ctx, c, path, &o)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			if !p.HasNext() {
				return
			}
			o.Page++
		}
	}
}

// headerInt reads an integer header; -1 when absent or malformed.
func headerInt(h http.Header, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(h.Get(name)))
	if err != nil {
		return -1
	}
	return n
}

// Collect drains an iterator into a slice, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for it, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}

// ListOptions are the query parameters of list calls. Zero values are left
// out; filters with several values are sent comma-separated.
type ListOptions struct {
	Page       int    // from 1
	PerPage    int    // 1 to 100
	Sort       string // "CreationDate:ASC" or "CreationDate:DESC"
	BeforeDate int64  // Unix seconds
	AfterDate  int64  // Unix seconds
	Status     []string
	Type       []string
	Nature     []string
	ResultCode []string
	Active     *bool
	EventType  string
	// RecipientScope PAYIN lists the pay-in recipients instead of the
	// PAYOUT ones (GET /users/{id}/recipients).
	RecipientScope string
}
