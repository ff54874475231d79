package plan

import "testing"

func TestNearest(t *testing.T) {
	keys := []string{"alice", "bob", "garden", "olga", "olga-wallet"}
	for _, tc := range []struct {
		name, typed, want string
	}{
		{"swap", "olag", "olga"},
		{"swap in a short key", "bbo", "bob"},
		{"one letter off", "alise", "alice"},
		{"short key, two letters off", "zoe", ""},
		{"far", "xavier", ""},
		{"prefix", "gard", "garden"},
		{"longer key, two edits", "olga-walet", "olga-wallet"},
		{"edit beats prefix", "olgaa", "olga"},
		{"exact match is no suggestion", "bob", ""},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nearest(tc.typed, keys); got != tc.want {
				t.Errorf("nearest(%q) = %q, want %q", tc.typed, got, tc.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"olga", "olag", 1}, {"zoe", "bob", 2},
		{"kitten", "sitting", 3}, {"ça", "ac", 2}, {"ab", "ba", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
