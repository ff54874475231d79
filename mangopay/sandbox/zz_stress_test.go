package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestZZStressRestart(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("ZZN"))
	for it := 0; it < n; it++ {
		dir := t.TempDir()
		x := newSbx(t, Options{StateDir: dir, PayoutDelay: time.Hour})
		w := newWorld(x)
		for phase := range 2 {
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := rand.New(rand.NewPCG(uint64(it), uint64(10*phase+g)))
					for range 100 {
						w.step(x, r)
					}
				}()
			}
			wg.Wait()
			if phase == 0 {
				x.clock.advance(2 * time.Hour)
				x.obj("GET", "/users/"+w.owners[0], nil)
			}
		}
		before := snapshotJSON(t, x.s)
		x.ts.Close()
		x.s.Close()
		s2, err := New(Options{StateDir: dir, PayoutDelay: time.Hour, Now: x.clock.now})
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
					os.WriteFile("/tmp/zz_before.json", b, 0o644)
					os.WriteFile("/tmp/zz_after.json", a, 0o644)
					t.Fatalf("iter %d: %s differs", it, k)
				}
			}
		}
	}
}
