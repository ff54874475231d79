package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads the plan file at path and parses it with [Parse]. KYC page
// paths are relative to the file's folder.
func Load(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return Parse(path, data)
}

// Parse parses and validates a plan. name is the file name used in error
// positions; its folder is the base of KYC page paths.
//
// Validation runs in three stages, each reporting every problem it finds
// (as an [ErrorList], sorted by position): YAML syntax and structure
// (one document, no duplicate keys, aliases that resolve and do not blow
// up), the JSON schema (schemas/plan.schema.json), then the semantic rules
// (references, categories, currencies, money, IBANs, cards, KYC files,
// step graph). A later stage runs only when the earlier ones passed, since
// its rules assume their guarantees. On success the plan is returned with
// every object's Key and Pos set; the steps are available from [Expand].
func Parse(name string, data []byte) (*Plan, error) {
	l := newLoader(name, data)
	root := l.parseYAML()
	if root == nil || len(l.errs) > 0 {
		return nil, l.result()
	}
	doc := l.toJSON(root)
	if len(l.errs) > 0 {
		return nil, l.result()
	}
	l.validateSchema(root, doc)
	if len(l.errs) > 0 {
		return nil, l.result()
	}
	p, err := l.decode(root)
	if err != nil {
		return nil, err
	}
	l.check(p)
	if len(l.errs) > 0 {
		return nil, l.result()
	}
	return p, nil
}

// loader holds the state of one Parse.
type loader struct {
	file  string
	data  []byte
	lines []int // length of each line, to keep positions inside the file
	errs  ErrorList
	// floats are the paths of values written as YAML floats (50.00): an
	// amount must never be one, cents are whole.
	floats []floatLit
}

type floatLit struct {
	path string
	node *yaml.Node
}

func newLoader(name string, data []byte) *loader {
	return &loader{file: name, data: data, lines: lineLengths(data)}
}

func (l *loader) result() error {
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
		l.errs.Add(l.pos(secondDocPos(&next)), "", "a plan is one YAML document: remove the second document (after ---)")
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

func secondDocPos(n *yaml.Node) *yaml.Node {
	if len(n.Content) > 0 {
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

var (
	yamlLineErr  = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchorRe = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// syntaxError records a YAML parser error at the line it names.
func (l *loader) syntaxError(err error) {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		l.errs.Add(l.clamp(line, 1), "", "YAML syntax error: "+m[2])
		return
	}
	if m := yamlAnchorRe.FindStringSubmatch(msg); m != nil {
		l.errs.Add(l.findAlias(m[1]), "", fmt.Sprintf("unknown anchor %q: define it with &%s before using *%s", m[1], m[1], m[1]))
		return
	}
	l.errs.Add(l.clamp(1, 1), "", "YAML syntax error: "+strings.TrimPrefix(msg, "yaml: "))
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
			line := bytes.Count(l.data[:at], []byte{'\n'}) + 1
			col := at - bytes.LastIndexByte(l.data[:at], '\n')
			return l.clamp(line, col)
		}
		i = end
	}
}

// fileDir is the folder KYC page paths are relative to.
func fileDir(name string) string {
	d := filepath.Dir(name)
	if d == "" {
		return "."
	}
	return d
}
