package runner

import (
	"bytes"
	"errors"
	"log/slog"
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
