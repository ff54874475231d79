package plan

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// Byte-level helpers of the syntax lexer (syntax_scan.go).

// indentOf counts the spaces that start a line.
func indentOf(line []byte) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

// isSpace reports whether a line holds only spaces and tabs.
func isSpace(line []byte) bool {
	return len(bytes.Trim(line, " \t")) == 0
}

// isComment reports whether a line holds only a comment.
func isComment(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	return len(t) > 0 && t[0] == '#'
}

func isCloser(c byte) bool { return c == ']' || c == '}' }

func closerOf(c byte) byte {
	if c == '{' {
		return '}'
	}
	return ']'
}

// isDocMarker reports whether a line starts with --- or ... (a document
// start or end).
func isDocMarker(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("---")) && !bytes.HasPrefix(line, []byte("...")) {
		return false
	}
	return len(line) == 3 || line[3] == ' ' || line[3] == '\t'
}

func skipSpaces(line []byte, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}

// isSep reports whether position i of a line ends a token: the end of the
// line or a blank.
func isSep(line []byte, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t'
}

// tokenEnd returns the end of the token (anchor, tag, alias) at i.
func tokenEnd(line []byte, i int) int {
	for i < len(line) && !isSep(line, i) {
		i++
	}
	return i
}

// closeQuote finds the end of a quoted value whose text starts at i, and
// returns the index after its closing quote. In double quotes a backslash
// escapes the next character; in single quotes ” is a quote.
func closeQuote(line []byte, i int, q byte) (int, bool) {
	for i < len(line) {
		switch c := line[i]; {
		case q == '"' && c == '\\':
			i += 2
			continue
		case c == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
			i += 2
			continue
		case c == q:
			return i + 1, true
		}
		i++
	}
	return len(line), false
}

// plainEnd returns where a plain value starting at i ends: at a ": " (or
// a colon ending the line), at a " #" comment, or at the end of the line.
func plainEnd(line []byte, i int) int {
	for k := i; k < len(line); k++ {
		switch line[k] {
		case ':':
			if isSep(line, k+1) {
				return k
			}
		case '#':
			if k > i && (line[k-1] == ' ' || line[k-1] == '\t') {
				return k
			}
		}
	}
	return len(line)
}

// runeCol is the 1-based column, in characters as the YAML library counts
// them, of byte i of a line.
func runeCol(line []byte, i int) int {
	if i > len(line) {
		i = len(line)
	}
	return utf8.RuneCount(line[:i]) + 1
}

func lineCol(n int, line []byte, i int) string {
	return "line " + strconv.Itoa(n+1) + ", column " + strconv.Itoa(runeCol(line, i))
}

// cloneLines copies the line slice and line n, so a fix leaves the source
// alone.
func cloneLines(src [][]byte, n int) [][]byte {
	out := append([][]byte(nil), src...)
	out[n] = append([]byte(nil), src[n]...)
	return out
}

func replaceByte(src [][]byte, n, i int, c byte) [][]byte {
	out := cloneLines(src, n)
	out[n][i] = c
	return out
}

// appendToLine appends s to the content of line n, before a trailing
// comment if the line has one.
func appendToLine(src [][]byte, n int, s string) [][]byte {
	out := cloneLines(src, n)
	line := out[n]
	end := len(line)
	if k := bytes.Index(line, []byte(" #")); k >= 0 {
		end = k
	}
	head := bytes.TrimRight(line[:end], " \t")
	fixed := append(append(append([]byte(nil), head...), s...), line[len(head):]...)
	out[n] = fixed
	return out
}

// reindent gives line n an indentation of ind spaces.
func reindent(src [][]byte, n, ind int) [][]byte {
	out := cloneLines(src, n)
	out[n] = append(bytes.Repeat([]byte{' '}, ind), bytes.TrimLeft(src[n], " ")...)
	return out
}
