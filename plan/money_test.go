package plan

import (
	"math"
	"testing"
)

func TestPercentOf(t *testing.T) {
	for _, tc := range []struct {
		amount  int64
		percent float64
		want    int64
	}{
		{5000, 8, 400},
		{1999, 5, 99}, // 99.95 rounds down, in the payers' favour
		{1, 99.99, 0},
		{12345, 8.5, 1049}, // 1049.325
		{10000, 0.01, 1},
		{9999, 0.01, 0},
		{100, 100, 100},
		{0, 50, 0},
		{math.MaxInt64, 100, math.MaxInt64},
		{math.MaxInt64, 50, math.MaxInt64 / 2},
		{3, 33.33, 0},
		{300, 33.33, 99},
	} {
		if got := percentOf(tc.amount, tc.percent); got != tc.want {
			t.Errorf("percentOf(%d, %v) = %d, want %d", tc.amount, tc.percent, got, tc.want)
		}
	}
}
