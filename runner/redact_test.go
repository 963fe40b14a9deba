package runner

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedactURLs(t *testing.T) {
	for in, want := range map[string]string{
		"get https://bob:pw123@host/x failed":                  "get https://REDACTED@host/x failed",
		"git::https://tok@github.com/o/r.git":                  "git::https://REDACTED@github.com/o/r.git",
		"https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&a=1": "https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&a=1",
		"no urls here": "no urls here",
	} {
		if got := RedactURLs(in); got != want {
			t.Errorf("RedactURLs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactingLogger(t *testing.T) {
	var buf bytes.Buffer
	r := &Redactor{}
	r.Add("hunter2-password\n")
	r.Add("ab") // too short to redact safely
	log := slog.New(newRedactHandler(slog.NewJSONHandler(&buf, nil), r)).With("ctx", "pw=hunter2-password")
	log.Info("value hunter2-password in message", "err", errors.New("boom hunter2-password"),
		"list", []string{"x hunter2-password"}, slog.Group("g", "k", "hunter2-password"), "url", "https://u:p4ss@h/", "short", "ab cd")
	out := buf.String()
	if strings.Contains(out, "hunter2-password") || strings.Contains(out, "p4ss") {
		t.Fatalf("secret in log: %s", out)
	}
	if strings.Count(out, "REDACTED") < 6 || !strings.Contains(out, `"ab cd"`) {
		t.Fatalf("unexpected redaction: %s", out)
	}
}

func TestRecheckChecksum(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
	for cs, wantErr := range map[string]bool{
		"sha256:" + ok: false, ok: false, "md5:5d41402abc4b2a76b9719d911017c592": false,
		"sha256:" + strings.Repeat("0", 64): true, "crc:1234": true,
	} {
		u := &url.URL{Scheme: "https", Host: "h", Path: "/f", RawQuery: "checksum=" + cs}
		if err := recheckChecksum(u, path); (err != nil) != wantErr {
			t.Errorf("checksum %s: err = %v", cs, err)
		}
	}
}
