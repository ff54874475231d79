// Package testcert makes the X.509 certificates of the mTLS tests: a CA
// that lives for one test, the client and server certificates it signs,
// and their PEM files. Keys are ECDSA P-256; nothing is cached, so each
// test gets certificates of its own. Only tests import it.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CA is a certificate authority valid from an hour ago to an hour from
// now.
type CA struct {
	// Cert is the CA's own certificate, with its key and Leaf.
	Cert tls.Certificate
}

// NewCA makes a self-signed CA whose subject is name.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{Subject: pkix.Name{CommonName: name}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	return &CA{Cert: sign(t, tmpl, nil)}
}

// Pool returns a pool holding the CA alone, for a server's ClientCAs or a
// client's RootCAs.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert.Leaf)
	return p
}

// Client returns a client certificate (extended key usage ClientAuth)
// whose subject is cn, valid from notBefore to notAfter, signed by ca.
func (ca *CA) Client(t testing.TB, cn string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	return sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: cn}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, ca)
}

// Server returns a server certificate for the IP address ip, valid as
// long as ca, signed by ca.
func (ca *CA) Server(t testing.TB, ip string) tls.Certificate {
	t.Helper()
	return sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: ip}, IPAddresses: []net.IP{net.ParseIP(ip)},
		NotBefore: ca.Cert.Leaf.NotBefore, NotAfter: ca.Cert.Leaf.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, ca)
}

// sign gives tmpl a random serial number and a new key, and signs it by
// ca, or by itself when ca is nil.
func sign(t testing.TB, tmpl *x509.Certificate, ca *CA) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.SerialNumber, err = rand.Int(rand.Reader, big.NewInt(1<<62)); err != nil {
		t.Fatal(err)
	}
	parent, parentKey := tmpl, any(key)
	if ca != nil {
		parent, parentKey = ca.Cert.Leaf, ca.Cert.PrivateKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// WriteFiles writes cert as the PEM file dir/name.pem and its private key
// as dir/name.key, and returns their paths.
func WriteFiles(t testing.TB, dir, name string, cert tls.Certificate) (certFile, keyFile string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	for path, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: cert.Certificate[0]},
		keyFile: {Type: "PRIVATE KEY", Bytes: der}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}
