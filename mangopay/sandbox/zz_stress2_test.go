package sandbox

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestZZStress2(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer recv.Close()
	for it := 0; it < n; it++ {
		dir := t.TempDir()
		x := newSbx(t, Options{StateDir: dir, PayoutDelay: time.Hour, KYCDelay: 0})
		x.obj("POST", "/hooks", map[string]any{"EventType": "PAYOUT_NORMAL_SUCCEEDED", "Url": recv.URL + "/h"})
		w := newWorld(x)
		for phase := range 3 {
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(it), uint64(10*phase+g)))
					for k := range 60 {
						switch r.IntN(12) {
						case 0:
							u := w.owners[r.IntN(len(w.owners))]
							var d map[string]any
							tag := []string{"accept", "whatever", "refuse_expired"}[r.IntN(3)]
							x.ok("POST", "/users/"+u+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": tag}, &d)
							x.do("POST", "/users/"+u+"/kyc/documents/"+d["Id"].(string)+"/pages", map[string]any{"File": page(33 << 10)})
							x.do("PUT", "/users/"+u+"/kyc/documents/"+d["Id"].(string), map[string]any{"Status": "VALIDATION_ASKED"})
						case 1:
							i := r.IntN(len(w.payers))
							x.do("POST", "/payins/card/direct", with(payinBody(w.payers[i], w.payerW[i], w.cards[i], 1000, 0, "EUR"), "SecureMode", "FORCE"))
						case 2:
							req, _ := http.NewRequest("POST", x.ts.URL+"/v2.01/sandbox/transfers", nil)
							_ = req
							x.do("POST", "/transfers", transferBody(w.payers[0], w.payerW[0], w.ownerW[0], 10, 0))
						default:
							w.step(x, r)
						}
						_ = k
					}
				}()
			}
			wg.Wait()
			x.clock.advance(time.Duration(r0(it, phase)) * time.Minute)
			x.obj("GET", "/users/"+w.owners[0], nil)
		}
		before := snapshotJSON(t, x.s)
		x.ts.Close()
		x.s.Close()
		s2, err := New(Options{StateDir: dir, PayoutDelay: time.Hour, KYCDelay: 0, Now: x.clock.now})
		if err != nil {
			t.Fatal(err)
		}
		after := snapshotJSON(t, s2)
		s2.Close()
		if !reflect.DeepEqual(before, after) {
			for k := range before {
				if !reflect.DeepEqual(before[k], after[k]) {
					b, _ := json.Marshal(before[k])
					a, _ := json.Marshal(after[k])
					os.WriteFile(fmt.Sprintf("/tmp/zz2_before_%s.json", k), b, 0o644)
					os.WriteFile(fmt.Sprintf("/tmp/zz2_after_%s.json", k), a, 0o644)
					t.Errorf("iter %d: %s differs", it, k)
				}
			}
			return
		}
	}
}

func r0(it, phase int) int { return 20 + (it*7+phase*13)%70 }
