package sandbox

import (
	"fmt"
	"testing"
)

func TestOrderedAdd(t *testing.T) {
	var o ordered
	for _, seq := range []int64{5, 1, 9, 3, 7, 7} {
		o.add(fmt.Sprint(seq), seq)
	}
	if got := fmt.Sprint(o.ids); got != "[1 3 5 7 7 9]" {
		t.Errorf("ids = %s, want sorted by seq", got)
	}
	q := addPending(nil, pending{ID: "b", Due: 2})
	q = addPending(q, pending{ID: "a", Due: 1})
	q = addPending(q, pending{ID: "c", Due: 2})
	if q[0].ID != "a" || q[1].ID != "b" || q[2].ID != "c" {
		t.Errorf("pending = %v", q)
	}
}
