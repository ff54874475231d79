package main

import (
	"context"
	"io"
)

// runSandbox runs `settle sandbox ARGS...` in process and returns its exit
// code, as the settle binary would (sandbox_node_test.go drives `sandbox
// serve` through it).
func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, append([]string{"sandbox"}, args...), stdout, stderr)
}
