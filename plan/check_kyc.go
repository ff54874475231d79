package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// KYC page limits (mangopay-api.md §6): MANGOPAY refuses smaller or larger
// files ("The file is too small to be readable", 413) and more pages.
const (
	MinIdentityPageSize = 32 << 10 // bytes, IDENTITY_PROOF pages
	MinPageSize         = 1 << 10  // bytes, other document types
	MaxPageSize         = 7 << 20  // bytes (10 MB once base64-encoded)
	MaxPages            = 5
)

// kycDocuments checks each KYC document: its user (an owner), its type
// for the user's person type, and its pages.
func (c *checker) kycDocuments() {
	for _, k := range sortedKeys(c.p.KYCDocuments) {
		d := c.p.KYCDocuments[k]
		path := "kyc_documents." + k
		u, ok := resolve(c, path+".user", "user", d.User, c.p.Users)
		if !ok {
			continue
		}
		if u.Category == "payer" {
			c.errf(path+".user", "user %q is a payer: MANGOPAY refuses KYC documents of payers (make the user an owner)", d.User)
		}
		allowed := allowedKYCTypes(u)
		if !slices.Contains(allowed, d.Type) {
			c.errf(path+".type", "%s cannot be filed for %s (allowed: %s)", d.Type, describePerson(u), strings.Join(allowed, ", "))
		}
		for i, page := range d.Pages {
			c.page(fmt.Sprintf("%s.pages.%d", path, i), d.Type, page)
		}
	}
}

// allowedKYCTypes lists the KYC document types MANGOPAY accepts for a
// user's person type (mangopay-api.md §6).
func allowedKYCTypes(u *User) []string {
	if u.Type == "natural" {
		return []string{"IDENTITY_PROOF", "ADDRESS_PROOF"}
	}
	if u.LegalPersonType == "SOLETRADER" {
		return []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "SHAREHOLDER_DECLARATION"}
	}
	return legalKYCTypes
}

// legalKYCTypes are the KYC document types of a legal user (a sole
// trader files no ARTICLES_OF_ASSOCIATION), all of which a hosted identity
// verification session collects.
var legalKYCTypes = []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "ARTICLES_OF_ASSOCIATION", "SHAREHOLDER_DECLARATION"}

// HostedVerificationCovers reports whether a hosted identity verification
// session of u collects the KYC documents of docType: a natural owner's
// identity, a legal owner's representative's identity, registration,
// articles and beneficial owners (the session's PSCs). An ADDRESS_PROOF
// may still be filed beside it.
func HostedVerificationCovers(u *User, docType string) bool {
	if u.Type == "natural" {
		return docType == "IDENTITY_PROOF"
	}
	return slices.Contains(legalKYCTypes, docType)
}

// describePerson names a user's person type in messages ("a legal user
// of type SOLETRADER").
func describePerson(u *User) string {
	if u.Type == "natural" {
		return "a natural user"
	}
	if u.LegalPersonType == "" {
		return "a legal user"
	}
	return fmt.Sprintf("a legal user of type %s", u.LegalPersonType)
}

// page checks one KYC page file: inside the plan's folder (no absolute
// path, no "..", no symbolic link leading out), a regular file, PDF, JPEG or
// PNG by content, within MANGOPAY's size limits.
func (c *checker) page(path, docType, name string) {
	full, msg := c.p.pagePath(name)
	if msg != "" {
		c.errf(path, "%s", msg)
		return
	}
	fi, err := os.Stat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.errf(path, "file %q not found (paths are relative to the plan's folder)", name)
		return
	case err != nil:
		c.errf(path, "cannot read %q: %v", name, unwrapPathError(err))
		return
	case !fi.Mode().IsRegular():
		c.errf(path, "%q is not a regular file", name)
		return
	}
	min := int64(MinPageSize)
	if docType == "IDENTITY_PROOF" {
		min = MinIdentityPageSize
	}
	switch size := fi.Size(); {
	case size < min:
		c.errf(path, "%q is %d bytes: MANGOPAY needs at least %d bytes (%d KB) per %s page", name, size, min, min>>10, docType)
	case size > MaxPageSize:
		c.errf(path, "%q is %d bytes: MANGOPAY accepts at most %d bytes (7 MB) per page", name, size, MaxPageSize)
	}
	if kind, err := fileFormat(full); err != nil {
		c.errf(path, "cannot read %q: %v", name, unwrapPathError(err))
	} else if kind == "" {
		c.errf(path, "%q is not a PDF, JPEG or PNG file (by its content)", name)
	}
}

// pagePath resolves a page path against the plan's folder, or says why it
// may not be used.
func (p *Plan) pagePath(name string) (string, string) {
	if filepath.IsAbs(name) || strings.HasPrefix(name, "/") || filepath.VolumeName(name) != "" {
		return "", fmt.Sprintf("%q is an absolute path: give a path relative to the plan's folder", name)
	}
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	full := filepath.Join(dir, name)
	if isOutside(dir, full) {
		return "", fmt.Sprintf("%q is outside the plan's folder", name)
	}
	realDir, err := realPath(dir)
	if err != nil {
		return full, "" // reported by Stat
	}
	realFull, err := realPath(full)
	if err != nil {
		return full, "" // missing file: reported by Stat
	}
	if isOutside(realDir, realFull) {
		return "", fmt.Sprintf("%q is a symbolic link to a file outside the plan's folder", name)
	}
	return full, ""
}

// realPath is the absolute path of name with every symbolic link resolved.
func realPath(name string) (string, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

func isOutside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// fileFormat returns "pdf", "jpeg" or "png" from a file's first bytes, or "".
func fileFormat(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 8)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", err
	}
	return formatOf(head[:n]), nil
}

func formatOf(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return "png"
	}
	return ""
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
