// Package schemas embeds the JSON schemas of settle's files: plan.schema.json
// (JSON Schema draft-07) describes a plan. Editors with a YAML language
// server use it for completion and hover help when a plan starts with
//
//	# yaml-language-server: $schema=../schemas/plan.schema.json
//
// (a path relative to the plan, or the output of `settle schema` saved
// somewhere). The plan package validates every plan against it.
package schemas

import "embed"

// FS holds every schema file of this folder.
//
//go:embed *.json
var FS embed.FS

// PlanSchema is the JSON schema of a plan (plan.schema.json).
//
//go:embed plan.schema.json
var PlanSchema []byte
