// Package platformtest holds the checks of MANGOPAY's wire shapes that the
// tests of the platform and of the resources share.
package platformtest

import (
	"encoding/json"
	"strings"
	"testing"
)

// JSONMap decodes a JSON object, failing the test when body is not one.
func JSONMap(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", body, err)
	}
	return m
}

// CheckErrorBody checks a MANGOPAY error body: Type, Message (unless
// wantMessage is empty), an Id of the form <uuid>#<unix>, an integer Date,
// and the errors key present. It returns the decoded body.
func CheckErrorBody(t testing.TB, body []byte, wantType, wantMessage string) map[string]any {
	t.Helper()
	m := JSONMap(t, body)
	if m["Type"] != wantType {
		t.Errorf("Type = %v, want %s (body %s)", m["Type"], wantType, body)
	}
	if wantMessage != "" && m["Message"] != wantMessage {
		t.Errorf("Message = %v, want %s", m["Message"], wantMessage)
	}
	id, _ := m["Id"].(string)
	uuid, unix, ok := strings.Cut(id, "#")
	if !ok || len(uuid) != 36 || unix == "" {
		t.Errorf("Id = %q, want <uuid>#<unix>", id)
	}
	if d, ok := m["Date"].(float64); !ok || d != float64(int64(d)) || d <= 0 {
		t.Errorf("Date = %v, want a positive integer", m["Date"])
	}
	if _, ok := m["errors"]; !ok {
		t.Errorf("body %s has no errors key", body)
	}
	return m
}
