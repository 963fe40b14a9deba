package runner

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// minSecretLen is the shortest secret value that is redacted: shorter values
// would blank out ordinary words all over the logs, and are no secret anyway.
const minSecretLen = 4

const redacted = "REDACTED"

// sensitiveQuery are query parameters that carry credentials or signatures
// (AWS SigV4 and V2, GCS, Azure SAS, generic tokens). Compared lower-cased.
var sensitiveQuery = map[string]bool{
	"x-amz-signature": true, "x-amz-credential": true, "x-amz-security-token": true,
	"signature": true, "awsaccesskeyid": true, "x-goog-signature": true, "x-goog-credential": true,
	"sig": true, "token": true, "access_token": true, "sshkey": true, "key": true,
	"aws_access_key_id": true, "aws_access_key_secret": true, "aws_access_token": true,
	"password": true, "secret": true, "client_secret": true, "api_key": true, "apikey": true,
}

var urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)

// Redactor removes secret values and URL credentials from text. It is safe
// for concurrent use.
type Redactor struct {
	mu     sync.RWMutex
	values []string // longest first, so that overlapping values go whole
}

// Add registers a secret value. Values shorter than minSecretLen are ignored.
func (r *Redactor) Add(value string) {
	for _, v := range []string{value, strings.TrimSpace(value)} {
		if len(v) < minSecretLen {
			continue
		}
		r.mu.Lock()
		if !contains(r.values, v) {
			r.values = append(r.values, v)
			sort.Slice(r.values, func(i, j int) bool { return len(r.values[i]) > len(r.values[j]) })
		}
		r.mu.Unlock()
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// String returns s without secret values and URL credentials.
func (r *Redactor) String(s string) string {
	s = RedactURLs(s)
	if r == nil {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.values {
		s = strings.ReplaceAll(s, v, redacted)
	}
	return s
}

// RedactURLs replaces the user information and the values of signing or
// credential query parameters of every URL in s.
func RedactURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlPattern.ReplaceAllStringFunc(s, redactURL)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// Unparseable: keep the scheme and host part only when obviously safe.
		if i := strings.IndexAny(raw, "@?"); i >= 0 {
			return raw[:strings.Index(raw, "://")+3] + redacted
		}
		return raw
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			if sensitiveQuery[strings.ToLower(k)] {
				q[k] = []string{redacted}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// redactHandler is a slog.Handler that redacts the message and every string
// attribute before passing the record on.
type redactHandler struct {
	next slog.Handler
	r    *Redactor
}

func newRedactHandler(next slog.Handler, r *Redactor) slog.Handler {
	return &redactHandler{next: next, r: r}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = h.redactAttr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(red), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

func (h *redactHandler) redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		group := v.Group()
		red := make([]any, len(group))
		for i, g := range group {
			red[i] = h.redactAttr(g)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.r.String(err.Error()))
		}
		if s, ok := v.Any().([]string); ok {
			red := make([]string, len(s))
			for i := range s {
				red[i] = h.r.String(s[i])
			}
			return slog.Any(a.Key, red)
		}
		return slog.String(a.Key, h.r.String(v.String()))
	default:
		return slog.Attr{Key: a.Key, Value: v}
	}
}
