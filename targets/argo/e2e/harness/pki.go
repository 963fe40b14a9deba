package harness

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

// PKI is the test's certificate authority and a server certificate for
// 127.0.0.1 signed by it: the API server and the source server use it, the
// containers and the reference run trust it.
type PKI struct {
	CAPEM []byte
	// CAFile holds CAPEM.
	CAFile string
	// Bundle is the host's CA bundle with the test CA appended: the
	// certificate file of every container and of the reference run.
	Bundle string
	Server tls.Certificate
}

// systemBundle is where Debian (and the step images' stand-in, the host)
// keeps its certificate bundle.
const systemBundle = "/etc/ssl/certs/ca-certificates.crt"

// NewPKI makes a CA and a server certificate under dir.
func NewPKI(t testing.TB, dir string) *PKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wurzel e2e test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	p := &PKI{
		CAPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Server: tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key},
		CAFile: filepath.Join(dir, "ca.crt"),
		Bundle: filepath.Join(dir, "ca-certificates.crt"),
	}
	system, _ := os.ReadFile(systemBundle)
	if err := os.WriteFile(p.CAFile, p.CAPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.Bundle, append(append(system, '\n'), p.CAPEM...), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
