package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// crockford is the ULID alphabet.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// idGen makes ULID-like Ids: 10 characters of millisecond time and 16 of an
// 80-bit value whose low 64 bits count up from a random start, so Ids are
// unique within a process (the counter) and across restarts (the random
// start), and sort in creation order within a process.
type idGen struct {
	hi  uint16
	ctr uint64
}

func newIDGen() idGen {
	var b [10]byte
	_, _ = rand.Read(b[:])
	// Leave head room so the counter never wraps.
	return idGen{hi: binary.BigEndian.Uint16(b[:2]), ctr: binary.BigEndian.Uint64(b[2:]) >> 8}
}

// next returns the 26-character ULID-like string for time t.
func (g *idGen) next(t time.Time) string {
	g.ctr++
	var out [26]byte
	ms := uint64(t.UnixMilli())
	for i := 9; i >= 0; i-- {
		out[i] = crockford[ms&31]
		ms >>= 5
	}
	// 80 bits: hi (16) then ctr (64), written 5 bits at a time from the end.
	lo, hi := g.ctr, uint64(g.hi)
	for i := 25; i >= 10; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | (hi&31)<<59
		hi >>= 5
	}
	return string(out[:])
}

// newID returns a fresh Id with MANGOPAY's prefix for the kind, such as
// "user_m_01J82SPSKW53XZM936PDVN76W0". Called with s.mu held. The time part
// uses the wall clock, not the sandbox clock, so Ids stay unique and
// increasing when the sandbox clock is moved.
//
// While a seed creates an object with a fixed Id (seed.go), s.pinned holds
// that Id for its prefix and newID hands it out once instead.
func (s *Server) newID(prefix string) string {
	if id, ok := s.pinned[prefix]; ok {
		delete(s.pinned, prefix)
		return id
	}
	return prefix + s.st.ids.next(time.Now())
}

// randomHex returns n random bytes in hex (card fingerprints are derived,
// this is for opaque tokens and EndToEndIds).
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomAlnum returns n random characters of [A-Za-z0-9].
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
