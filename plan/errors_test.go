package plan

import (
	"errors"
	"testing"
)

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil {
		t.Fatalf("empty ErrorList.Err() = %v, want nil", l.Err())
	}
	l.Add(Pos{"b.yaml", 1, 1}, "", "syntax")
	l.Add(Pos{"a.yaml", 3, 9}, "x.y", "second")
	l.Addf(Pos{"a.yaml", 3, 2}, "x", "first %d", 1)
	l.Add(Pos{"a.yaml", 3, 9}, "x.y", "second")
	l.Add(Pos{"a.yaml", 3, 9}, "x.y", "another on the same spot")
	l.RemoveMultiples()
	want := "a.yaml:3:2: x: first 1\n" +
		"a.yaml:3:9: x.y: another on the same spot\n" +
		"a.yaml:3:9: x.y: second\n" +
		"b.yaml:1:1: syntax"
	if got := l.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	var as ErrorList
	if !errors.As(l.Err(), &as) || len(as) != 4 {
		t.Errorf("errors.As(Err(), *ErrorList) = %v (%d errors), want the 4 errors", as, len(as))
	}
	if got := (&Error{Pos: Pos{"p.yaml", 14, 9}, Path: "campaigns.c.fees.percent", Msg: "must be <= 100"}).Error(); got != "p.yaml:14:9: campaigns.c.fees.percent: must be <= 100" {
		t.Errorf("Error.Error() = %q", got)
	}
}
