package runner

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
)

// minSecretLen is the shortest secret value that is redacted: shorter values
// would blank out ordinary words all over the logs, and are no secret anyway.
const minSecretLen = 4

const redacted = sourceaddr.Redacted

// Redactor removes secret values and URL credentials from text. It is safe
// for concurrent use.
type Redactor struct {
	mu     sync.RWMutex
	values []string // longest first, so that overlapping values go whole
}

// Add registers a secret value. Values shorter than minSecretLen, and parts
// of the word REDACTED itself, are ignored.
func (r *Redactor) Add(value string) {
	for _, v := range []string{value, strings.TrimSpace(value)} {
		if len(v) < minSecretLen || strings.Contains(redacted, v) {
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

// NewRedactor returns a Redactor that already knows the credentials of the
// given go-getter source addresses (see AddSource).
func NewRedactor(sources ...string) *Redactor {
	r := &Redactor{}
	for _, src := range sources {
		r.AddSource(src)
	}
	return r
}

// AddSource registers the credentials of a go-getter source address as
// secret values, so that they are redacted wherever they appear: in a
// tool's output, decoded, or in a form the address scanner cannot delimit
// (a value holding a space, say).
func (r *Redactor) AddSource(src string) {
	for _, c := range sourceaddr.Credentials(src) {
		r.Add(c)
	}
}

// String returns s without secret values and without the credentials of
// any source address or URL in it. A nil Redactor redacts addresses only.
func (r *Redactor) String(s string) string {
	if r != nil {
		// Values first: the address scanner would cut a value holding a
		// space at the space, leaving the rest for nobody to find.
		r.mu.RLock()
		for _, v := range r.values {
			s = strings.ReplaceAll(s, v, redacted)
		}
		r.mu.RUnlock()
	}
	return sourceaddr.RedactText(s)
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
