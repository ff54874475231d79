package platform

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Query helpers for handlers. MANGOPAY matches query keys and enum values
// without regard to case (PY sends sort=...:asc, JAVA Sort=...:desc, DOCS
// Status=Succeeded), and takes several values either comma-separated
// (Status=SUCCEEDED,FAILED) or as repeated keys (Status=Succeeded&Status=Failed).
// The call holds lowercased keys, so these helpers take any-case names.

// Query returns the first value of the query parameter name (any case),
// trimmed, or "" when absent.
func (c *Call) Query(name string) string {
	vs := c.query[strings.ToLower(name)]
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// Filter returns every value of the query parameter name (any case): repeated
// keys and comma lists are flattened, values are trimmed and upper-cased, and
// empty values dropped. It returns nil when the filter is absent or empty,
// which means "no filtering".
func (c *Call) Filter(name string) []string {
	var out []string
	for _, v := range c.query[strings.ToLower(name)] {
		for _, part := range strings.Split(v, ",") {
			if p := strings.ToUpper(strings.TrimSpace(part)); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Accepts reports whether value passes the filter name: true when the filter
// is absent, else when value equals one of its values without regard to case.
// Typical use: if !c.Accepts("Status", tx.Status) { continue }.
func (c *Call) Accepts(name, value string) bool {
	vals := c.Filter(name)
	if vals == nil {
		return true
	}
	for _, v := range vals {
		if strings.EqualFold(v, value) {
			return true
		}
	}
	return false
}

// BoolFilter reads a boolean filter such as Active=true (any case). set is
// false when the parameter is absent; a value other than true/false is a 400
// param_error naming the parameter.
func (c *Call) BoolFilter(name string) (value, set bool, err *Error) {
	v := c.Query(name)
	if v == "" {
		return false, false, nil
	}
	switch strings.ToLower(v) {
	case "true", "1":
		return true, true, nil
	case "false", "0":
		return false, true, nil
	}
	return false, false, FieldError(name, fmt.Sprintf("The value '%s' is not valid for %s.", v, name))
}

// UnixParam reads an integer Unix-seconds parameter such as BeforeDate.
// set is false when absent; a non-integer value is a 400 param_error.
func (c *Call) UnixParam(name string) (value int64, set bool, err *Error) {
	v := c.Query(name)
	if v == "" {
		return 0, false, nil
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil {
		return 0, false, FieldError(name, fmt.Sprintf("The value '%s' is not valid for %s.", v, name))
	}
	return n, true, nil
}

// lowerQuery parses a raw query string with lowercased keys, keeping the
// order of the values as sent (Status=a&STATUS=b gives [a b]).
func lowerQuery(raw string) map[string][]string {
	out := map[string][]string{}
	for _, kv := range strings.Split(raw, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue // as url.ParseQuery, skip what cannot be decoded
		}
		lk := strings.ToLower(key)
		out[lk] = append(out[lk], val)
	}
	return out
}
