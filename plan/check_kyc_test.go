package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFileFormat(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"pdf":   {[]byte("%PDF-1.7\n..."), "pdf"},
		"jpeg":  {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "jpeg"},
		"png":   {[]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0}, "png"},
		"gif":   {[]byte("GIF89a"), ""},
		"text":  {[]byte("hello"), ""},
		"empty": {nil, ""},
	} {
		if got := formatOf(tc.data); got != tc.want {
			t.Errorf("formatOf(%s) = %q, want %q", name, got, tc.want)
		}
	}
}

// TestKYCFiles checks page files by content, size and place.
func TestKYCFiles(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	png := append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, make([]byte, 2000)...)
	writeFile(t, filepath.Join(dir, "kyc", "id.pdf"), pdf(40<<10))
	writeFile(t, filepath.Join(dir, "kyc", "small.pdf"), pdf(32<<10-1))
	writeFile(t, filepath.Join(dir, "kyc", "big.pdf"), pdf(MaxPageSize+1))
	writeFile(t, filepath.Join(dir, "kyc", "photo.png"), png)
	writeFile(t, filepath.Join(dir, "kyc", "fake.pdf"), make([]byte, 40<<10))
	writeFile(t, filepath.Join(outside, "secret.pdf"), pdf(40<<10))
	if err := os.Symlink(filepath.Join(outside, "secret.pdf"), filepath.Join(dir, "kyc", "link.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("id.pdf", filepath.Join(dir, "kyc", "inside.pdf")); err != nil {
		t.Fatal(err)
	}
	text := edit(t, basePlan, "pages: [kyc/id.pdf]", "pages: [kyc/small.pdf, kyc/big.pdf, kyc/fake.pdf, kyc/link.pdf, kyc/inside.pdf]")
	text = edit(t, text, "\ncards:", "\n  cyrano-address: {user: cyrano, type: ADDRESS_PROOF, pages: [kyc/photo.png, ./kyc/id.pdf]}\n\ncards:")
	writeFile(t, filepath.Join(dir, "plan.yaml"), []byte(text))
	_, err := Load(filepath.Join(dir, "plan.yaml"))
	got := errorLines(err, dir+string(filepath.Separator))
	want := []string{
		`plan.yaml:44:13: kyc_documents.cyrano-id.pages.0: "kyc/small.pdf" is 32767 bytes: MANGOPAY needs at least 32768 bytes (32 KB) per IDENTITY_PROOF page`,
		fmt.Sprintf(`plan.yaml:44:28: kyc_documents.cyrano-id.pages.1: "kyc/big.pdf" is %d bytes: MANGOPAY accepts at most %d bytes (7 MB) per page`, MaxPageSize+1, MaxPageSize),
		`plan.yaml:44:41: kyc_documents.cyrano-id.pages.2: "kyc/fake.pdf" is not a PDF, JPEG or PNG file (by its content)`,
		`plan.yaml:44:55: kyc_documents.cyrano-id.pages.3: "kyc/link.pdf" is a symbolic link to a file outside the plan's folder`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Load() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestKYCSymlinkAbsoluteInside accepts a link, given as an absolute path,
// to a file inside the plan's folder, with the plan loaded by a relative
// path.
func TestKYCSymlinkAbsoluteInside(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "kyc", "id.pdf"), pdf(40<<10))
	if err := os.Symlink(filepath.Join(dir, "kyc", "id.pdf"), filepath.Join(dir, "kyc", "abs.pdf")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "plan.yaml"), []byte(edit(t, basePlan, "pages: [kyc/id.pdf]", "pages: [kyc/abs.pdf]")))
	t.Chdir(dir)
	if _, err := Load("plan.yaml"); err != nil {
		t.Errorf("Load() error = %v", err)
	}
}

// TestHostedVerificationCovers: a session collects a natural owner's
// identity proof, and every document type of a legal owner; never an
// address proof.
func TestHostedVerificationCovers(t *testing.T) {
	natural, legal := &User{Type: "natural"}, &User{Type: "legal", LegalPersonType: "BUSINESS"}
	for _, tc := range []struct {
		u       *User
		docType string
		want    bool
	}{
		{natural, "IDENTITY_PROOF", true},
		{natural, "ADDRESS_PROOF", false},
		{legal, "IDENTITY_PROOF", true},
		{legal, "REGISTRATION_PROOF", true},
		{legal, "ARTICLES_OF_ASSOCIATION", true},
		{legal, "SHAREHOLDER_DECLARATION", true},
		{legal, "ADDRESS_PROOF", false},
	} {
		if got := HostedVerificationCovers(tc.u, tc.docType); got != tc.want {
			t.Errorf("HostedVerificationCovers(%s user, %s) = %v, want %v", tc.u.Type, tc.docType, got, tc.want)
		}
	}
}
