package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// How request bodies bind. MANGOPAY's API reads JSON with a lenient binder,
// and the official SDKs rely on it: the Python SDK sends every boolean as
// 1 or 0, SDK fixtures send numbers where the API has strings (a
// CompanyNumber, a PostalCode) and numeric strings where it has numbers
// (TimeZoneOffset "+60", IncomeRange "3"). bindJSON is the one place that
// decides those conversions, for every handler:
//
//   - a bool field takes true/false, the numbers 0 and 1, and the strings
//     "true"/"false" (any case);
//   - a string field takes a number, as its literal text;
//   - an integer field takes a string holding an integer ("+60", "3");
//   - nested objects and arrays bind the same way, field by field; JSON
//     keys match field names without regard to case, as encoding/json.
//
// Everything else is left to encoding/json, which refuses it with an
// UnmarshalTypeError (decodeBody's param_error): an object where a string
// is expected, a string where an object is, 2 or "yes" for a bool, "abc"
// for a number. Unknown enum values stay the handlers' business: a value
// that binds is not therefore valid.
//
// Bodies that bind as they are (nearly all) are decoded once: the
// conversions run only after encoding/json refused a value's type.
func bindJSON(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw any
	if dec.Decode(&raw) != nil {
		return err
	}
	conv, changed := coerce(raw, reflect.TypeOf(v).Elem())
	if !changed {
		return err
	}
	data, merr := json.Marshal(conv)
	if merr != nil {
		return err
	}
	// v may hold part of the first attempt; every member of the body is
	// decoded again over it.
	return json.Unmarshal(data, v)
}

// rawMessageType is left as sent: a handler reading json.RawMessage wants
// the bytes.
var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

// coerce converts a decoded JSON value (UseNumber) towards Go type t by the
// rules of bindJSON. It reports whether anything changed.
func coerce(v any, t reflect.Type) (any, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType {
		return v, false
	}
	switch x := v.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			return coerceObject(x, t)
		case reflect.Map:
			changed := false
			for k, e := range x {
				var c bool
				if x[k], c = coerce(e, t.Elem()); c {
					changed = true
				}
			}
			return x, changed
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			changed := false
			for i, e := range x {
				var c bool
				if x[i], c = coerce(e, t.Elem()); c {
					changed = true
				}
			}
			return x, changed
		}
	case json.Number:
		return coerceNumber(x, t)
	case string:
		return coerceString(x, t)
	}
	return v, false
}

func coerceNumber(n json.Number, t reflect.Type) (any, bool) {
	switch t.Kind() {
	case reflect.String:
		return string(n), true
	case reflect.Bool:
		switch n {
		case "0":
			return false, true
		case "1":
			return true, true
		}
	}
	return n, false
}

func coerceString(s string, t reflect.Type) (any, bool) {
	switch t.Kind() {
	case reflect.Bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10)), true
		}
	}
	return s, false
}

// coerceObject converts the members of a JSON object bound to struct t.
func coerceObject(m map[string]any, t reflect.Type) (any, bool) {
	fields := fieldsOf(t)
	changed := false
	for k, e := range m {
		ft, ok := fields.lookup(k)
		if !ok {
			continue
		}
		var c bool
		if m[k], c = coerce(e, ft); c {
			changed = true
		}
	}
	return m, changed
}

// structFields are a struct's JSON names (embedded structs flattened, as
// encoding/json does) and their types.
type structFields struct {
	exact map[string]reflect.Type
	fold  map[string]reflect.Type // lowercased names
}

func (f structFields) lookup(key string) (reflect.Type, bool) {
	if t, ok := f.exact[key]; ok {
		return t, true
	}
	t, ok := f.fold[strings.ToLower(key)]
	return t, ok
}

var fieldCache sync.Map // reflect.Type -> structFields

func fieldsOf(t reflect.Type) structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(structFields)
	}
	f := structFields{exact: map[string]reflect.Type{}, fold: map[string]reflect.Type{}}
	collectFields(t, f)
	fieldCache.Store(t, f)
	return f
}

// collectFields adds t's fields; a field of the outer struct wins over a
// promoted one of the same name.
func collectFields(t reflect.Type, f structFields) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			embedded = append(embedded, ft)
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if _, ok := f.exact[name]; !ok {
			f.exact[name] = sf.Type
		}
		if _, ok := f.fold[strings.ToLower(name)]; !ok {
			f.fold[strings.ToLower(name)] = sf.Type
		}
	}
	for _, et := range embedded {
		collectFields(et, f)
	}
}
