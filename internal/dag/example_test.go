package dag_test

import (
	"context"
	"fmt"

	"settle/internal/dag"
)

// A pay-in fails: the transfer that waits for it is skipped with the
// pay-in as the root cause; the independent branch goes on.
func ExampleWalker() {
	g := dag.New()
	for _, v := range []string{"user/a", "payin/a", "transfer/a", "user/b"} {
		g.Add(v)
	}
	g.Connect("payin/a", "user/a")
	g.Connect("transfer/a", "payin/a")
	w := &dag.Walker{
		Parallelism: 1,
		Visit: func(ctx context.Context, v string) (dag.Status, error) {
			if v == "payin/a" {
				fmt.Println("failed", v)
				return dag.Failed, nil
			}
			fmt.Println("done", v)
			return dag.Succeeded, nil
		},
		Skip: func(v, root string, failFast bool) error {
			fmt.Println("skipped", v, "upstream", root)
			return nil
		},
	}
	if err := w.Walk(context.Background(), g); err != nil {
		fmt.Println(err)
	}
	// Output:
	// done user/a
	// failed payin/a
	// skipped transfer/a upstream payin/a
	// done user/b
}
