package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem found in a plan, at a position of the plan file.
// Path is the dotted path of the value concerned
// ("campaigns.garden-2026.fees.percent"), empty for problems of the file
// itself (YAML syntax).
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

// Error formats the problem as "file:line:col: path: msg" (the path is
// omitted when empty).
func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Path, e.Msg)
}

// ErrorList is a list of plan problems, modelled on go/scanner.ErrorList.
// The zero value is an empty list ready to use.
type ErrorList []*Error

// Add appends a problem at pos.
func (l *ErrorList) Add(pos Pos, path, msg string) {
	*l = append(*l, &Error{Pos: pos, Path: path, Msg: msg})
}

// Addf appends a problem at pos with a formatted message.
func (l *ErrorList) Addf(pos Pos, path, format string, args ...any) {
	l.Add(pos, path, fmt.Sprintf(format, args...))
}

// Len is the number of problems (sort.Interface).
func (l ErrorList) Len() int { return len(l) }

// Swap swaps two problems (sort.Interface).
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Less orders problems by file, line, column, then path and message, so the
// order is stable whatever order the checks ran in (sort.Interface).
func (l ErrorList) Less(i, j int) bool {
	a, b := l[i], l[j]
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	if a.Pos.Col != b.Pos.Col {
		return a.Pos.Col < b.Pos.Col
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Msg < b.Msg
}

// Sort sorts the list by position.
func (l ErrorList) Sort() { sort.Sort(l) }

// RemoveMultiples sorts the list and removes exact repeats (same position,
// path and message). Unlike go/scanner it keeps several different problems
// on one line: a flow mapping ({from: x, amount: 0}) can hold two.
func (l *ErrorList) RemoveMultiples() {
	l.Sort()
	var last Error
	out := (*l)[:0]
	for i, e := range *l {
		if i == 0 || *e != last {
			last = *e
			out = append(out, e)
		}
	}
	*l = out
}

// Error prints every problem, one per line.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
