package s3store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestSignedUploadCarriesTheManifestDigest: where uploads are signed, a
// single PUT is signed with the digest the runner computed for the
// manifest, which the server checks: the right one is accepted, a wrong
// one refused.
func TestSignedUploadCarriesTheManifestDigest(t *testing.T) {
	gw := gwtest.Start(t)
	gw.CreateBucket(t, "wurzel")
	client, err := NewClient(context.Background(), gwtest.EnvironFor(gw.Endpoint), Settings{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	signed := uploadClient{Client: client}
	body := []byte("the body")
	put := func(sum string) error {
		_, err := signed.PutObject(withPayloadDigest(context.Background(), sum), &s3.PutObjectInput{
			Bucket: ptr("wurzel"), Key: ptr("k"), Body: bytes.NewReader(body),
		})
		return err
	}
	if err := put(sha256Hex(body)); err != nil {
		t.Fatalf("the right digest: %v", err)
	}
	if err := put(sha256Hex([]byte("another body"))); err == nil {
		t.Fatal("the server accepted a body that does not match the signed digest")
	}
}

func ptr(s string) *string { return &s }

func TestTransportProtects(t *testing.T) {
	for endpoint, want := range map[string]bool{
		"":                         true,
		"https://s3.example.com":   true,
		"http://127.0.0.1:9000":    true,
		"http://[::1]:9000":        true,
		"http://localhost:9000":    true,
		"http://minio.internal:80": false,
		"http://10.0.0.5:9000":     false,
	} {
		e := endpoint
		if got := transportProtects(&e); got != want {
			t.Errorf("transportProtects(%q) = %v, want %v", endpoint, got, want)
		}
	}
	if !transportProtects(nil) {
		t.Error("the default endpoints are https")
	}
}
