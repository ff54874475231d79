package plan

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxAliasNodes bounds how many nodes alias expansion may add beyond
// aliasRatio times the nodes written in the file: a "billion laughs" plan
// (aliases of aliases of aliases) is refused instead of eating memory.
const (
	maxAliasNodes = 100_000
	aliasRatio    = 10
)

// normState is the state of one normalization.
type normState struct {
	done     map[*yaml.Node]*yaml.Node // anchored node -> its normalized form
	size     map[*yaml.Node]int        // normalized node -> expanded size
	active   map[*yaml.Node]bool       // anchors being normalized (cycle check)
	written  int                       // nodes written in the file
	expanded int                       // nodes added by alias expansion
	failed   bool                      // an alias error was reported
}

// normalize returns a tree without aliases or merge keys ("<<"), in which
// each mapping has unique plain keys. An alias becomes its anchored node
// (shared, not copied: positions then point at the definition, and the
// expansion costs no memory); merged keys are copied into the mapping
// unless the mapping sets them itself. Duplicate keys, keys that are not
// plain scalars, aliases to themselves and expansions larger than
// aliasRatio times the file are errors. It returns nil after an error.
func (l *loader) normalize(root *yaml.Node) *yaml.Node {
	st := &normState{
		done:   map[*yaml.Node]*yaml.Node{},
		size:   map[*yaml.Node]int{},
		active: map[*yaml.Node]bool{},
	}
	n := l.norm(root, nil, st)
	if len(l.errs) > 0 {
		return nil
	}
	return n
}

func (l *loader) norm(n *yaml.Node, path []string, st *normState) *yaml.Node {
	if st.failed {
		return n
	}
	if n.Kind == yaml.AliasNode {
		return l.alias(n, path, st)
	}
	if n.Anchor == "" {
		return l.normNode(n, path, st)
	}
	if out, ok := st.done[n]; ok {
		return out
	}
	st.active[n] = true
	out := l.normNode(n, path, st)
	delete(st.active, n)
	st.done[n] = out
	return out
}

func (l *loader) normNode(n *yaml.Node, path []string, st *normState) *yaml.Node {
	st.written++
	switch n.Kind {
	case yaml.MappingNode:
		return l.normMapping(n, path, st)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			n.Content[i] = l.normValue(c, append(path, strconv.Itoa(i)), st)
		}
		return n
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return l.norm(n.Content[0], path, st)
		}
	}
	return n
}

// normValue normalizes the value at path and, when it is an alias,
// records where the alias is written: errors about the value then point
// at the *name that put it there, not at the anchor's definition.
func (l *loader) normValue(n *yaml.Node, path []string, st *normState) *yaml.Node {
	out := l.norm(n, path, st)
	if n.Kind == yaml.AliasNode && !st.failed {
		if l.aliasAt == nil {
			l.aliasAt = map[string]Pos{}
		}
		p := strings.Join(path, ".")
		if _, ok := l.aliasAt[p]; !ok {
			l.aliasAt[p] = l.pos(n)
		}
	}
	return out
}

// alias resolves an alias to the normalized anchored node.
func (l *loader) alias(n *yaml.Node, path []string, st *normState) *yaml.Node {
	target := n.Alias
	if target == nil {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("unknown anchor %q", n.Value))
		st.failed = true
		return n
	}
	if st.active[target] {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("alias *%s is used inside its own anchor &%s", n.Value, n.Value))
		st.failed = true
		return n
	}
	out := l.norm(target, path, st)
	st.expanded += expandedSize(out, st.size)
	if st.expanded > maxAliasNodes+aliasRatio*st.written {
		l.errs.Add(l.pos(n), strings.Join(path, "."), fmt.Sprintf("aliases expand to more than %d values: the plan is too large once *%s is expanded", maxAliasNodes+aliasRatio*st.written, n.Value))
		st.failed = true
	}
	return out
}

// expandedSize counts the nodes of a normalized subtree, memoized.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) int {
	if s, ok := memo[n]; ok {
		return s
	}
	s := 1
	for _, c := range n.Content {
		s += expandedSize(c, memo)
		if s < 0 { // overflow: any huge value will do
			s = int(^uint(0) >> 1)
			break
		}
	}
	memo[n] = s
	return s
}

// normMapping checks the keys of a mapping and applies merge keys.
func (l *loader) normMapping(n *yaml.Node, path []string, st *normState) *yaml.Node {
	if isSimpleMapping(n.Content) {
		for i := 1; i < len(n.Content); i += 2 {
			n.Content[i] = l.normValue(n.Content[i], append(path, n.Content[i-1].Value), st)
		}
		return n
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	out := n.Content[:0:0]
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			if at, msg := l.mergeProblem(k, v); msg != "" {
				l.errs.Add(at, strings.Join(path, "."), msg)
				continue
			}
			merges = append(merges, l.norm(v, path, st))
			continue
		}
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			l.errs.Add(l.pos(k), strings.Join(path, "."), "a key must be a plain name, not a list or a mapping")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			l.errs.Add(l.pos(k), strings.Join(append(path, k.Value), "."),
				fmt.Sprintf("duplicate key %q (first defined at line %d)", k.Value, first.Line))
			continue
		}
		seen[k.Value] = k
		out = append(out, k, l.normValue(v, append(path, k.Value), st))
	}
	if merges != nil {
		out = l.merge(out, seen, merges)
	}
	if len(out) == len(n.Content) && merges == nil {
		copy(n.Content, out)
		return n
	}
	m := *n
	m.Content = out
	return &m
}

// isSimpleMapping reports whether a mapping's keys are plain scalars, none a
// merge key and none repeated: the common case, normalized in place
// without allocating.
func isSimpleMapping(c []*yaml.Node) bool {
	if len(c)%2 != 0 {
		return false
	}
	for i := 0; i < len(c); i += 2 {
		if c[i].Kind != yaml.ScalarNode || isMerge(c[i]) {
			return false
		}
	}
	if len(c) > 32 {
		seen := make(map[string]struct{}, len(c)/2)
		for i := 0; i < len(c); i += 2 {
			if _, dup := seen[c[i].Value]; dup {
				return false
			}
			seen[c[i].Value] = struct{}{}
		}
		return true
	}
	for i := 0; i < len(c); i += 2 {
		for j := i + 2; j < len(c); j += 2 {
			if c[i].Value == c[j].Value {
				return false
			}
		}
	}
	return true
}

// merge appends the pairs of the merged mappings that the mapping does not
// set itself; the first merged mapping wins, as YAML specifies.
func (l *loader) merge(out []*yaml.Node, seen map[string]*yaml.Node, merges []*yaml.Node) []*yaml.Node {
	for _, m := range merges {
		maps := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			maps = m.Content
		}
		for _, mm := range maps {
			for i := 0; i+1 < len(mm.Content); i += 2 {
				k := mm.Content[i]
				if _, ok := seen[k.Value]; ok {
					continue
				}
				seen[k.Value] = k
				out = append(out, k, mm.Content[i+1])
			}
		}
	}
	return out
}

// mergeProblem checks the value of a merge key before it is resolved, so a
// mistake is reported where it is written: a value that is not a mapping
// (or a list of mappings) at the << key, a bad item of a list written
// in place at that item. It returns "" when the merge is good.
func (l *loader) mergeProblem(k, v *yaml.Node) (Pos, string) {
	t := resolved(v)
	switch t.Kind {
	case yaml.MappingNode:
		return Pos{}, ""
	case yaml.SequenceNode:
		for _, item := range t.Content {
			if it := resolved(item); it.Kind != yaml.MappingNode {
				at := k
				if t == v {
					at = item
				}
				return l.pos(at), fmt.Sprintf("<< merges mappings only, and %s is %s", describeValue(item), describeNode(it))
			}
		}
		return Pos{}, ""
	}
	return l.pos(k), fmt.Sprintf("<< merges a mapping (or a list of mappings) only, and %s is %s", describeValue(v), describeNode(t))
}

// resolved is the node an alias stands for, or n itself.
func resolved(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// describeValue names a value as the plan writes it: *name for an alias.
func describeValue(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode {
		return "*" + n.Value
	}
	return "this value"
}

// describeNode describes a node that is not a mapping.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.SequenceNode:
		return "a list"
	}
	return "not a mapping"
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "" || k.Tag == "!" || k.ShortTag() == "!!merge")
}
