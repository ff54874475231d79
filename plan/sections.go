package plan

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// The schema and the semantic rules are separate stages because the rules
// rely on what the schema guarantees (types, required fields, patterns).
// That guarantee holds object by object, though: when the schema finds
// problems only inside some objects of the plan's maps (a user, a wallet,
// a campaign), the rules still run on every other object, so independent
// mistakes are reported together. The objects with schema errors are left
// out of the model and their keys marked invalid: a reference to one of
// them is neither resolved nor reported (its object already has an error),
// so no rule runs on data the schema refused and no error follows from
// another.

// sections are the plan's maps of objects, with what a reference to one
// of their objects is called in messages ([resolve]).
var sections = map[string]string{
	"users": "user", "wallets": "wallet", "bank_accounts": "bank account",
	"kyc_documents": "KYC document", "cards": "card", "campaigns": "campaign",
}

// sectionOf is the inverse of sections.
var sectionOf = func() map[string]string {
	m := make(map[string]string, len(sections))
	for s, what := range sections {
		m[what] = s
	}
	return m
}()

// checkValidObjects runs the semantic rules on the objects that passed the
// schema, after schema errors. It does nothing when a schema error is
// outside every object (a top-level field, a whole section), since every
// rule may depend on it.
func (l *loader) checkValidObjects(root *yaml.Node) {
	invalid, ok := l.invalidObjects(root)
	if !ok {
		return
	}
	p, err := l.decode(root, withoutObjects(root, invalid))
	if err != nil {
		return // the schema errors say why
	}
	l.check(p, invalid)
}

// invalidObjects maps each section to the keys of its objects that have
// errors. ok is false when an error is not inside an object.
func (l *loader) invalidObjects(root *yaml.Node) (invalid map[string]map[string]bool, ok bool) {
	keys := map[string]map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		sec, v := root.Content[i].Value, root.Content[i+1]
		if _, isSection := sections[sec]; !isSection || v.Kind != yaml.MappingNode {
			continue
		}
		keys[sec] = make(map[string]bool, len(v.Content)/2)
		for j := 0; j+1 < len(v.Content); j += 2 {
			keys[sec][v.Content[j].Value] = true
		}
	}
	invalid = map[string]map[string]bool{}
	for _, e := range l.errs {
		sec, rest, _ := strings.Cut(e.Path, ".")
		key, found := objectKey(rest, keys[sec])
		if !found {
			return nil, false
		}
		if invalid[sec] == nil {
			invalid[sec] = map[string]bool{}
		}
		invalid[sec][key] = true
	}
	return invalid, true
}

// objectKey finds the key of keys that path starts with (a whole
// segment; the longest, as a broken key may hold dots).
func objectKey(path string, keys map[string]bool) (string, bool) {
	for i := len(path); i > 0; i = strings.LastIndexByte(path[:i], '.') {
		if keys[path[:i]] {
			return path[:i], true
		}
	}
	return "", false
}

// withoutObjects returns a copy of the root mapping whose sections lack
// the invalid objects; the nodes of the other objects are shared.
func withoutObjects(root *yaml.Node, invalid map[string]map[string]bool) *yaml.Node {
	out := *root
	out.Content = append([]*yaml.Node(nil), root.Content...)
	for i := 0; i+1 < len(out.Content); i += 2 {
		bad := invalid[out.Content[i].Value]
		if len(bad) == 0 {
			continue
		}
		sec := *out.Content[i+1]
		sec.Content = nil
		for _, kv := range pairs(out.Content[i+1].Content) {
			if !bad[kv[0].Value] {
				sec.Content = append(sec.Content, kv[0], kv[1])
			}
		}
		out.Content[i+1] = &sec
	}
	return &out
}

// pairs splits a mapping's content into key/value pairs.
func pairs(content []*yaml.Node) [][2]*yaml.Node {
	out := make([][2]*yaml.Node, 0, len(content)/2)
	for i := 0; i+1 < len(content); i += 2 {
		out = append(out, [2]*yaml.Node{content[i], content[i+1]})
	}
	return out
}
