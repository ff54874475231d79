package sandbox

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"settle/mangopay"
)

type bindInner struct {
	On   *bool
	Code string
	N    int64
}

type bindTarget struct {
	mangopay.Money
	Flag   bool
	Name   *string
	Count  *int
	Null   mangopay.NullString
	Inner  *bindInner
	List   []bindInner
	ByKey  map[string]bool
	Raw    json.RawMessage
	Tagged string `json:"OtherName"`
}

func TestBindJSON(t *testing.T) {
	str := func(s string) *string { return &s }
	yes, no := true, false
	tests := []struct {
		name, body string
		want       bindTarget
		wantErr    string // the UnmarshalTypeError's field, "" for none
	}{
		{"as encoding/json", `{"Flag":true,"Name":"a","Currency":"EUR","Amount":5}`,
			bindTarget{Flag: true, Name: str("a"), Money: mangopay.Money{Currency: "EUR", Amount: 5}}, ""},
		{"bool from 1 and 0", `{"flag":1,"Inner":{"On":0}}`, bindTarget{Flag: true, Inner: &bindInner{On: &no}}, ""},
		{"bool from strings", `{"Flag":"TRUE","Inner":{"On":"false"}}`, bindTarget{Flag: true, Inner: &bindInner{On: &no}}, ""},
		{"string from number", `{"Name":123456789,"Null":1.5,"OtherName":7,"Currency":978}`,
			bindTarget{Name: str("123456789"), Null: "1.5", Tagged: "7", Money: mangopay.Money{Currency: "978"}}, ""},
		{"int from string", `{"Count":"+60","Amount":" 12 ","Inner":{"N":"-3"}}`,
			bindTarget{Count: func() *int { n := 60; return &n }(), Money: mangopay.Money{Amount: 12}, Inner: &bindInner{N: -3}}, ""},
		{"through lists and maps", `{"List":[{"On":1,"Code":42}],"ByKey":{"a":0,"b":"true"}}`,
			bindTarget{List: []bindInner{{On: &yes, Code: "42"}}, ByKey: map[string]bool{"a": false, "b": true}}, ""},
		{"raw left alone", `{"Raw":{"Flag":1},"Flag":1}`, bindTarget{Raw: json.RawMessage(`{"Flag":1}`), Flag: true}, ""},
		{"bool from 2", `{"Flag":2}`, bindTarget{}, "Flag"},
		{"bool from yes", `{"Flag":"yes"}`, bindTarget{}, "Flag"},
		{"object for a string", `{"Name":{"a":1}}`, bindTarget{}, "Name"},
		{"string for an object", `{"Inner":"x"}`, bindTarget{}, "Inner"},
		{"string for a list", `{"List":"x"}`, bindTarget{}, "List"},
		{"non-integer string for an int", `{"Count":"1.5"}`, bindTarget{}, "Count"},
		{"nested refusal", `{"Inner":{"On":3}}`, bindTarget{}, "Inner.On"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bindTarget
			err := bindJSON([]byte(tt.body), &got)
			var te *json.UnmarshalTypeError
			switch {
			case tt.wantErr != "":
				if !errors.As(err, &te) || te.Field != tt.wantErr {
					t.Errorf("bindJSON(%s) error = %v, want a type error on %s", tt.body, err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("bindJSON(%s) error = %v", tt.body, err)
			case !reflect.DeepEqual(got, tt.want):
				t.Errorf("bindJSON(%s) = %+v, want %+v", tt.body, got, tt.want)
			}
		})
	}
	var v bindTarget
	if err := bindJSON([]byte(`{"Flag":`), &v); err == nil {
		t.Errorf("bindJSON(truncated) error = nil")
	}
}
