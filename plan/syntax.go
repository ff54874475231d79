package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var (
	yamlLineErr  = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchorRe = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// maxFixTries bounds how many suspects syntaxError checks by parsing a
// repaired copy of the file (each check parses the whole file again).
const maxFixTries = 4

// syntaxError records a YAML parser error. The library gives a line only,
// often the line of the construct it was in rather than of the mistake,
// so the mistake is looked for first: the byte that is not UTF-8, the tab
// that indents a line, the quote or bracket left open (see syntaxScan).
// When none is found, the error is reported at the library's line.
func (l *loader) syntaxError(err error) {
	msg := err.Error()
	if pos, text, ok := l.encodingError(msg); ok {
		l.errs.Add(pos, "", text)
		return
	}
	if m := yamlAnchorRe.FindStringSubmatch(msg); m != nil {
		l.errs.Add(l.findAlias(m[1]), "", fmt.Sprintf("unknown anchor %q: define it with &%s before using *%s", m[1], m[1], m[1]))
		return
	}
	line, text := 0, strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		text = m[2]
	}
	src := splitLines(l.data)
	if s, ok := locateSyntax(src, line, text); ok {
		l.errs.Add(l.clamp(s.line+1, runeCol(src[s.line], s.at)), "", s.msg)
		return
	}
	l.errs.Add(l.clamp(line, 1), "", "YAML syntax error: "+text)
}

// locateSyntax picks the suspect that explains the library's error at
// line: for a tab error the first tab-indented line from there on; for
// any other error the first structural suspect whose repair lets the
// parser get further.
func locateSyntax(src [][]byte, line int, text string) (suspect, bool) {
	all := syntaxScan(src)
	tabErr := strings.Contains(text, "tab character") || strings.Contains(text, "cannot start any token")
	for _, s := range all {
		if s.tab && tabErr && s.line+1 >= line-1 && s.line+1 <= line+1 {
			return s, true
		}
	}
	tries := 0
	for _, s := range all {
		if s.tab {
			continue
		}
		if tries == maxFixTries {
			break
		}
		tries++
		if parsesFurther(bytes.Join(s.fix(src), []byte{'\n'}), line) {
			return s, true
		}
	}
	return suspect{}, false
}

// parsesFurther reports whether the YAML library parses data, or fails
// later than line.
func parsesFurther(data []byte, line int) bool {
	err := firstParseError(data)
	if err == nil {
		return true
	}
	m := yamlLineErr.FindStringSubmatch(err.Error())
	if m == nil {
		return false
	}
	at, _ := strconv.Atoi(m[1])
	return at > line
}

// firstParseError parses every document of data into nodes and returns
// the first error (a panic of the library counts as one), or nil.
func firstParseError(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// encodingError locates an encoding error: the first byte that is not UTF-8
// or the first character YAML does not allow.
func (l *loader) encodingError(msg string) (Pos, string, bool) {
	utf16 := bytes.HasPrefix(l.data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(l.data, []byte{0xFF, 0xFE})
	switch {
	case utf16:
		return Pos{}, "", false
	case strings.Contains(msg, "UTF-8") || strings.Contains(msg, "invalid Unicode character"):
		for i := 0; i < len(l.data); {
			r, size := utf8.DecodeRune(l.data[i:])
			if r == utf8.RuneError && size == 1 {
				return l.offsetPos(i), fmt.Sprintf("the plan is not valid UTF-8: byte 0x%02X here is not part of a UTF-8 character (save the file as UTF-8)", l.data[i]), true
			}
			i += size
		}
	case strings.Contains(msg, "control characters are not allowed"):
		for i := 0; i < len(l.data); {
			r, size := utf8.DecodeRune(l.data[i:])
			if !isYAMLChar(r) && !(r == utf8.RuneError && size == 1) {
				return l.offsetPos(i), fmt.Sprintf("the control character %s is not allowed in a plan: remove it", controlName(r)), true
			}
			i += size
		}
	}
	return Pos{}, "", false
}

// isYAMLChar reports whether YAML allows a character in a file (YAML 1.1
// c-printable, as the library checks it).
func isYAMLChar(r rune) bool {
	switch {
	case r == 0x09 || r == 0x0A || r == 0x0D || r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// offsetPos is the position of byte i of the file.
func (l *loader) offsetPos(i int) Pos {
	line := bytes.Count(l.data[:i], []byte{'\n'}) + 1
	start := bytes.LastIndexByte(l.data[:i], '\n') + 1
	return l.clamp(line, utf8.RuneCount(l.data[start:i])+1)
}

// findAlias finds where *name is used (the YAML library does not say).
func (l *loader) findAlias(name string) Pos {
	needle := []byte("*" + name)
	for i := 0; ; {
		j := bytes.Index(l.data[i:], needle)
		if j < 0 {
			return l.clamp(1, 1)
		}
		at := i + j
		end := at + len(needle)
		if end == len(l.data) || strings.IndexByte(" \t\r\n,]}", l.data[end]) >= 0 {
			return l.offsetPos(at)
		}
		i = end
	}
}
