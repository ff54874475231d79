package canonjson

import "testing"

func TestCanonical(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{`{"b":1,"a":[3,1,2]}`, `{"a":[2,3,1],"b":1}`},
		{`{"c":[{"k":"y","v":[2,1]},{"k":"x"}]}`, `{"c":[{"k":"x"},{"v":[1,2],"k":"y"}]}`},
	} {
		a, err := Canonical([]byte(tc.a))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Canonical([]byte(tc.b))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("Canonical(%s) = %s, Canonical(%s) = %s, want equal", tc.a, a, tc.b, b)
		}
	}
	a, _ := Canonical([]byte(`{"a":[1,2]}`))
	b, _ := Canonical([]byte(`{"a":[1,3]}`))
	if string(a) == string(b) {
		t.Errorf("Canonical() of different documents are equal: %s", a)
	}
	if _, err := Canonical([]byte(`{`)); err == nil {
		t.Errorf("Canonical(bad JSON) error = nil")
	}
}
