package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"settle/schemas"
)

func TestRunSchema(t *testing.T) {
	var stdout, stderr bytes.Buffer
	runSchema := func(args ...string) int { // settle schema ARGS, in process
		return run(context.Background(), append([]string{"schema"}, args...), &stdout, &stderr)
	}
	if code := runSchema(); code != exitOK {
		t.Fatalf("runSchema() = %d, want 0", code)
	}
	if !bytes.Equal(stdout.Bytes(), schemas.PlanSchema) {
		t.Error("runSchema() did not print plan.schema.json")
	}
	var v map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || v["$schema"] != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("schema output is not a draft-07 JSON schema: %v", err)
	}
	if code := runSchema("extra"); code != exitError {
		t.Errorf("runSchema(extra) = %d, want 1", code)
	}
}
