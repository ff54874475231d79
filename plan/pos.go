package plan

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// PosOf returns where the value at a dotted path starts
// ("bank_accounts.cyrano-iban.iban", "campaigns.c1.contributions.0.amount").
// A block mapping or list that is the value of a key is located at its key
// (the line that names it); a scalar, a flow collection ({...}, [...]) or a
// list item at the value itself. When the path does not exist, PosOf
// returns the position of its nearest existing ancestor, and the plan's own
// position for "" or an unknown first element. A value written as an alias
// (owner: *olga) is located at the alias. PosOf only reads the plan and
// is safe for concurrent use.
func (p *Plan) PosOf(path string) Pos {
	if p.root == nil {
		return p.Pos
	}
	if pos, ok := p.aliasAt[path]; ok {
		return pos
	}
	_, _, pos := p.locate(path)
	return pos
}

// locate walks the node tree along path and returns the deepest node found,
// its key node (nil for list items and the root) and its position.
//
// Plan keys never contain dots, but a wrong key in a broken plan may: at
// each mapping the longest key that matches the rest of the path wins.
func (p *Plan) locate(path string) (n, key *yaml.Node, pos Pos) {
	n = p.root
	pos = p.nodePos(n, nil)
	rest := path
	for rest != "" {
		child, k, remaining, ok := descend(n, rest)
		if !ok {
			return n, key, pos
		}
		n, key, rest = child, k, remaining
		pos = p.nodePos(n, key)
	}
	return n, key, pos
}

// descend descends one element of path from n.
func descend(n *yaml.Node, path string) (child, key *yaml.Node, rest string, ok bool) {
	switch n.Kind {
	case yaml.MappingNode:
		best := -1
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if hasSegment(path, k) && (best < 0 || len(k) > len(n.Content[best].Value)) {
				best = i
			}
		}
		if best < 0 {
			return nil, nil, "", false
		}
		k := n.Content[best]
		return n.Content[best+1], k, strings.TrimPrefix(strings.TrimPrefix(path, k.Value), "."), true
	case yaml.SequenceNode:
		head, tail, _ := strings.Cut(path, ".")
		i, err := strconv.Atoi(head)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil, nil, "", false
		}
		return n.Content[i], nil, tail, true
	}
	return nil, nil, "", false
}

// hasSegment reports whether path is k or starts with k followed by a
// dot (without allocating: PosOf runs on every payout of a large plan).
func hasSegment(path, k string) bool {
	return strings.HasPrefix(path, k) && (len(path) == len(k) || path[len(k)] == '.')
}

// nodePos is the position that stands for a value: its key for a block
// collection under a key, the value itself otherwise.
func (p *Plan) nodePos(n, key *yaml.Node) Pos {
	at := n
	if key != nil && n.Kind != yaml.ScalarNode && n.Style&yaml.FlowStyle == 0 {
		at = key
	}
	return clampPos(p.Pos.File, p.lines, at.Line, at.Column)
}

// keyPos returns the position of the key of the value at path (for errors
// about the key itself: unknown field, bad key), or PosOf(path) when the
// value has no key.
func (p *Plan) keyPos(path string) Pos {
	_, key, pos := p.locate(path)
	if key != nil {
		return clampPos(p.Pos.File, p.lines, key.Line, key.Column)
	}
	return pos
}

// clampPos keeps a position inside a file of the given line lengths.
func clampPos(file string, lines []int, line, col int) Pos {
	if line > len(lines) {
		line = len(lines)
	}
	if line < 1 {
		line = 1
	}
	if len(lines) > 0 && col > lines[line-1]+1 {
		col = lines[line-1] + 1
	}
	if col < 1 {
		col = 1
	}
	return Pos{File: file, Line: line, Col: col}
}
