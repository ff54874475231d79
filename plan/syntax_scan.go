package plan

import (
	"bytes"
	"strconv"
)

// The YAML library reports a syntax error with a line only, and often not
// the line of the mistake: it names the construct it was parsing when it
// gave up ("did not find expected key" at the start of the mapping that
// holds an unclosed quote). syntaxScan reads the source with a small lexer
// that knows just enough YAML to find the usual culprits, which it returns
// as suspects: a tab in a line's indentation, a quoted value or a flow
// collection ([...] or {...}) left open, a closing bracket of the wrong
// kind, a line indented under a field that already has a value, a line
// that steps back to an indentation no line above uses. A tab is blamed
// only when the library's message is about a tab near that line. Every
// other suspect comes with the smallest edit that would repair it, and is
// blamed only when the YAML parser, given that edit, gets past the point
// where it failed (see parsesFurther): a suspect that is merely unusual
// YAML (a quoted value spread over lines) is not blamed for a mistake
// elsewhere.

// suspect is a likely cause of a YAML syntax error.
type suspect struct {
	line, at int // 0-based line and byte offset in it
	tab      bool
	msg      string
	// fix returns the source with this suspect repaired; nil for tabs,
	// which the YAML library names itself.
	fix func(src [][]byte) [][]byte
}

// opener is an open quote or flow collection: its character and where.
type opener struct {
	ch       byte
	line, at int
}

// lexer holds the state of one syntaxScan.
type lexer struct {
	lines [][]byte
	out   []suspect
	flow  []opener // open [ and {, innermost last
	// flowIndent is the indentation of the line that opened the outermost
	// flow collection: its later lines must be indented deeper.
	flowIndent int
	quote      *opener // a quoted value still open at the end of a line
	quoteInd   int     // indentation its later lines must exceed
	// blockParent is, inside a literal or folded block scalar (| or >),
	// the indentation of its header line, and -1 elsewhere.
	blockParent int
	// levels are the indentations of the block lines above that a new
	// line may line up with, innermost last.
	levels []level
}

// level is an indentation in use, and the line that set it.
type level struct{ ind, line int }

// splitLines splits data into lines without their line ends.
func splitLines(data []byte) [][]byte {
	lines := bytes.Split(data, []byte{'\n'})
	for i, l := range lines {
		lines[i] = bytes.TrimSuffix(l, []byte{'\r'})
	}
	return lines
}

// syntaxScan returns the suspects of a YAML source, in file order.
func syntaxScan(lines [][]byte) []suspect {
	x := &lexer{lines: lines, blockParent: -1}
	for n, line := range lines {
		ind := indentOf(line)
		blank := isSpace(line)
		if x.blockParent >= 0 {
			if blank || ind > x.blockParent {
				continue
			}
			x.blockParent = -1
		}
		if x.quote != nil {
			if blank || ind > x.quoteInd {
				x.continueQuote(n, line)
				continue
			}
			x.unclosedQuote()
		}
		if len(x.flow) > 0 {
			if blank || isComment(line) || ind > x.flowIndent || (ind == x.flowIndent && isCloser(line[ind])) {
				x.flowScan(n, line, 0)
				continue
			}
			x.unclosedFlow()
		}
		x.blockLine(n, line, ind)
	}
	if x.quote != nil {
		x.unclosedQuote()
	}
	if len(x.flow) > 0 {
		x.unclosedFlow()
	}
	return x.out
}

// continueQuote scans a line inside a multi-line quoted value.
func (x *lexer) continueQuote(n int, line []byte) {
	j, closed := closeQuote(line, 0, x.quote.ch)
	if !closed {
		return
	}
	x.quote = nil
	if len(x.flow) > 0 {
		x.flowScan(n, line, j)
		return
	}
	x.blockValue(n, line, j, x.quoteInd, false)
}

// blockLine scans a line in block context.
func (x *lexer) blockLine(n int, line []byte, ind int) {
	j := ind
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j == len(line) || line[j] == '#' {
		return
	}
	if t := bytes.IndexByte(line[:j], '\t'); t >= 0 {
		x.out = append(x.out, suspect{line: n, at: t, tab: true,
			msg: "a tab indents this line: YAML indents with spaces only (replace the tab with spaces)"})
		return
	}
	if ind == 0 && isDocMarker(line) {
		j, x.levels = 3, nil
	} else if x.overIndented(n, line, ind) || x.misaligned(n, ind) {
		return
	}
	x.blockValue(n, line, j, ind, true)
}

// blockValue scans the rest of a block line from i: sequence dashes,
// keys, and the value that starts the line's content.
func (x *lexer) blockValue(n int, line []byte, i, ind int, atStart bool) {
	for {
		i = skipSpaces(line, i)
		if i >= len(line) || line[i] == '#' {
			return
		}
		c := line[i]
		switch {
		case (c == '-' || c == '?' || c == ':') && isSep(line, i+1):
			i, atStart = i+1, true
		case c == '&' || c == '!' || c == '*':
			i = tokenEnd(line, i)
		case !atStart:
			return // text after a complete value: the parser's business
		case c == '"' || c == '\'':
			j, closed := closeQuote(line, i+1, c)
			if !closed {
				x.quote, x.quoteInd = &opener{ch: c, line: n, at: i}, ind
				return
			}
			i, atStart = j, false
		case c == '[' || c == '{':
			x.flow, x.flowIndent = append(x.flow, opener{ch: c, line: n, at: i}), ind
			x.flowScan(n, line, i+1)
			return
		case c == '|' || c == '>':
			x.blockParent = ind
			return
		default:
			k := plainEnd(line, i)
			if k == len(line) || line[k] != ':' {
				return
			}
			i = k + 1
		}
	}
}

// flowScan scans a line (from i) inside a flow collection.
func (x *lexer) flowScan(n int, line []byte, i int) {
	atStart := true
	for i < len(line) {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return
		case (c == '"' || c == '\'') && atStart:
			j, closed := closeQuote(line, i+1, c)
			if !closed {
				x.quote, x.quoteInd = &opener{ch: c, line: n, at: i}, x.flowIndent
				return
			}
			i, atStart = j, false
			continue
		case c == '[' || c == '{':
			x.flow, atStart = append(x.flow, opener{ch: c, line: n, at: i}), true
		case c == ']' || c == '}':
			x.closeFlow(n, i, c)
			if len(x.flow) == 0 {
				x.blockValue(n, line, i+1, x.flowIndent, false)
				return
			}
			atStart = false
		case c == ',' || (c == ':' && (i+1 == len(line) || bytes.IndexByte([]byte(" \t,[]{}"), line[i+1]) >= 0)):
			atStart = true
		default:
			atStart = false
		}
		i++
	}
}

// closeFlow pops the innermost flow collection, reporting a closer of the
// wrong kind.
func (x *lexer) closeFlow(n, i int, c byte) {
	top := x.flow[len(x.flow)-1]
	x.flow = x.flow[:len(x.flow)-1]
	want := closerOf(top.ch)
	if c == want {
		return
	}
	line := x.lines[top.line]
	x.out = append(x.out, suspect{line: n, at: i,
		msg: "this " + string(c) + " does not close the " + string(top.ch) + " opened at " + lineCol(top.line, line, top.at) + ": write " + string(want),
		fix: func(src [][]byte) [][]byte { return replaceByte(src, n, i, want) }})
}

// unclosedQuote reports the open quoted value and forgets it.
func (x *lexer) unclosedQuote() {
	q := *x.quote
	x.quote = nil
	q1 := string(q.ch)
	x.out = append(x.out, suspect{line: q.line, at: q.at,
		msg: "the value in quotes starting here is never closed: end it with " + q1 + " on the same line",
		fix: func(src [][]byte) [][]byte { return appendToLine(src, q.line, q1) }})
}

// unclosedFlow reports the innermost open flow collection and forgets
// them all.
func (x *lexer) unclosedFlow() {
	top := x.flow[len(x.flow)-1]
	closers := ""
	for i := len(x.flow) - 1; i >= 0 && x.flow[i].line == top.line; i-- {
		closers += string(closerOf(x.flow[i].ch))
	}
	x.flow = nil
	what := "list"
	if top.ch == '{' {
		what = "mapping"
	}
	x.out = append(x.out, suspect{line: top.line, at: top.at,
		msg: "this " + string(top.ch) + " opens a " + what + " that is never closed: add the " + string(closerOf(top.ch)) + " that ends it",
		fix: func(src [][]byte) [][]byte { return appendToLine(src, top.line, closers) }})
}

// overIndented reports a line indented deeper than the previous one when
// that one is a "key: value" with a plain value: YAML then reads this line
// as the rest of that value, and fails at its colon.
func (x *lexer) overIndented(n int, line []byte, ind int) bool {
	p := n - 1
	for p >= 0 && (isSpace(x.lines[p]) || isComment(x.lines[p])) {
		p--
	}
	if p < 0 || ind <= indentOf(x.lines[p]) {
		return false
	}
	prev := x.lines[p]
	pi := indentOf(prev)
	k := plainEnd(prev, pi)
	if k == len(prev) || prev[k] != ':' || prev[pi] == '-' || prev[pi] == '#' {
		return false
	}
	v := skipSpaces(prev, k+1)
	if v == len(prev) || bytes.IndexByte([]byte("#[{|>&!*\"'"), prev[v]) >= 0 {
		return false
	}
	if c := plainEnd(line, ind); c == len(line) || line[c] != ':' {
		return false
	}
	key := string(bytes.TrimSpace(prev[pi:k]))
	x.out = append(x.out, suspect{line: n, at: ind,
		msg: "this line is indented deeper than " + key + " (line " + strconv.Itoa(p+1) + "), which already has a value: indent it like " + key,
		fix: func(src [][]byte) [][]byte { return reindent(src, n, pi) }})
	return true
}

// misaligned reports a line that steps back out of a nested block to an
// indentation no line above uses: YAML cannot tell which mapping it
// belongs to.
func (x *lexer) misaligned(n, ind int) bool {
	var popped *level
	for len(x.levels) > 0 && x.levels[len(x.levels)-1].ind > ind {
		popped = &x.levels[len(x.levels)-1]
		x.levels = x.levels[:len(x.levels)-1]
	}
	if len(x.levels) > 0 && x.levels[len(x.levels)-1].ind == ind {
		return false
	}
	if popped == nil {
		x.levels = append(x.levels, level{ind: ind, line: n})
		return false
	}
	inner := *popped
	msg := "this line lines up with no line above it: indent it by " + strconv.Itoa(inner.ind) + " spaces like line " + strconv.Itoa(inner.line+1)
	if len(x.levels) > 0 {
		outer := x.levels[len(x.levels)-1]
		msg += ", or by " + strconv.Itoa(outer.ind) + " like line " + strconv.Itoa(outer.line+1)
	}
	x.levels = append(x.levels, level{ind: ind, line: n})
	x.out = append(x.out, suspect{line: n, at: ind, msg: msg,
		fix: func(src [][]byte) [][]byte { return reindent(src, n, inner.ind) }})
	return true
}
