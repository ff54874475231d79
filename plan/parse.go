package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest plan file [Load] reads, 64 MiB by default
// (settle's --max-plan-size): a larger file is refused before it is read.
var MaxFileSize int64 = 64 << 20

// ErrTooLarge is returned (wrapped, with the sizes) by [Load] for a file
// larger than [MaxFileSize].
var ErrTooLarge = errors.New("plan file too large")

// Load reads the plan file at path and parses it with [Parse]. KYC page
// paths are relative to the file's folder. A file larger than
// [MaxFileSize] is refused from its size, before it is read.
func Load(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	defer f.Close()
	tooLarge := fmt.Errorf("plan: %s: %w (more than %d bytes; --max-plan-size raises the limit)", path, ErrTooLarge, MaxFileSize)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxFileSize {
		return nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1)) // a file that grows while read, or a pipe
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if int64(len(data)) > MaxFileSize {
		return nil, tooLarge
	}
	return Parse(path, data)
}

// Parse parses and validates a plan. name is the file name used in error
// positions; its folder is the base of KYC page paths.
//
// Validation runs in three stages, each reporting every problem it finds
// (as an [ErrorList], sorted by position): YAML syntax and structure
// (one document, no duplicate keys, aliases that resolve and do not blow
// up), the JSON schema (schemas/plan.schema.json) together with how each
// value is written (numbers in decimal digits, text without control
// characters; see literals.go), then the semantic rules (references,
// categories, currencies, money, IBANs, cards, KYC files, birthdays,
// country codes, step graph). The schema runs only on a plan that passed
// the YAML stage.
// The semantic rules assume the schema's guarantees, so after schema errors
// they run only on the objects (users, wallets, campaigns...) without any,
// and only when every schema error lies inside such an object: independent
// mistakes are then reported together, and none follows from another (see
// sections.go). On success the plan is returned with every object's Key
// and Pos set; the steps are available from [Expand].
func Parse(name string, data []byte) (*Plan, error) {
	l := newLoader(name, data)
	root := l.parseYAML()
	if root == nil || len(l.errs) > 0 {
		return nil, l.err()
	}
	doc := l.toJSON(root)
	if len(l.errs) > 0 {
		return nil, l.err()
	}
	l.validateSchema(root, doc)
	if len(l.errs) > 0 {
		l.checkValidObjects(root)
		return nil, l.err()
	}
	p, err := l.decode(root, root)
	if err != nil {
		return nil, err
	}
	l.check(p, nil)
	if len(l.errs) > 0 {
		return nil, l.err()
	}
	return p, nil
}

// loader holds the state of one Parse.
type loader struct {
	file  string
	data  []byte
	lines []int // length of each line, to keep positions inside the file
	errs  ErrorList
	// written holds the mistakes in how values are written (amount: 50.00,
	// 0x1388, "In\0es"; see literals.go), reported with the schema's
	// errors, and writtenAt their paths, where the schema's own errors
	// are left out.
	written   ErrorList
	writtenAt map[string]bool
	// aliasAt maps the path of each value written as an alias (owner:
	// *olga) to the alias, where errors about the value point.
	aliasAt map[string]Pos
}

func newLoader(name string, data []byte) *loader {
	return &loader{file: name, data: data, lines: lineLengths(data)}
}

func (l *loader) err() error {
	l.errs.RemoveMultiples()
	return l.errs.Err()
}

// pos returns the position of a node, kept inside the file.
func (l *loader) pos(n *yaml.Node) Pos {
	if n == nil {
		return l.clamp(1, 1)
	}
	return l.clamp(n.Line, n.Column)
}

// clamp keeps a position inside the file: line in [1, number of lines],
// column in [1, length of the line + 1].
func (l *loader) clamp(line, col int) Pos { return clampPos(l.file, l.lines, line, col) }

// lineLengths returns the length in bytes of each line of data (without
// its newline); an empty file has one empty line.
func lineLengths(data []byte) []int {
	lines := make([]int, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, len(data))
			break
		}
		lines = append(lines, i)
		data = data[i+1:]
	}
	if len(lines) == 0 {
		lines = append(lines, 0)
	}
	return lines
}

// parseYAML decodes the single YAML document of the file into a node tree
// and normalizes it (see normalize). It returns nil after an error.
func (l *loader) parseYAML() *yaml.Node {
	if !l.checkLineBreakChars() {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(l.data))
	var doc yaml.Node
	if err := l.decodeNode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.errs.Add(l.clamp(1, 1), "", "the plan is empty")
		} else {
			l.syntaxError(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := l.decodeNode(dec, &next); {
	case err == nil:
		l.errs.Add(l.pos(secondDocNode(&next)), "", "a plan is one YAML document: remove this --- and the document after it")
		return nil
	case !errors.Is(err, io.EOF):
		l.syntaxError(err)
		return nil
	}
	if len(doc.Content) == 0 {
		l.errs.Add(l.clamp(1, 1), "", "the plan is empty")
		return nil
	}
	return l.normalize(doc.Content[0])
}

// secondDocNode locates a second document at its --- (the document node's
// own position), or at its first value if the library gave no position.
func secondDocNode(n *yaml.Node) *yaml.Node {
	if n.Line == 0 && len(n.Content) > 0 {
		return n.Content[0]
	}
	return n
}

// decodeNode decodes the next document, turning a panic inside the YAML
// library (it has had some on hostile input) into an error.
func (l *loader) decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse this file (%v)", r)
		}
	}()
	return dec.Decode(n)
}

// fileDir is the folder KYC page paths are relative to.
func fileDir(name string) string {
	d := filepath.Dir(name)
	if d == "" {
		return "."
	}
	return d
}
