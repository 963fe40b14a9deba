package runner

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
)

// stepLog is the log of one step's runner. Its lines are what the runner's
// slog logger (NewLogger, or Options.Logger) writes, through a handler that
// redacts secrets; but a runner process that logs to a file or pipe
// (wurzel-step, `wurzel step exec`: Argo's pods, DVC's stages) writes
// them itself when their values are simple, and makes slog's logger only
// when a line needs it. In a Go program that only writes a step's five
// lines, slog's logger and JSON handler cost 0.23 ms of its start and the
// same lines written by hand 0.02 ms; wurzel-step starts 0.03 to 0.09 ms
// sooner. TestStepLogAgrees and FuzzStepLogAgrees hold the two to the
// same bytes.
type stepLog struct {
	// slog is the logger, made on first use: a runner that writes its
	// lines by hand pays for slog's handlers only when a line needs them.
	slog func() *slog.Logger
	// lines is nil unless lines are written by hand.
	lines *jsonLines
}

func (l *stepLog) Debug(msg string, args ...any) { l.log(slog.LevelDebug, msg, args) }
func (l *stepLog) Info(msg string, args ...any)  { l.log(slog.LevelInfo, msg, args) }
func (l *stepLog) Warn(msg string, args ...any)  { l.log(slog.LevelWarn, msg, args) }
func (l *stepLog) Error(msg string, args ...any) { l.log(slog.LevelError, msg, args) }

func (l *stepLog) log(level slog.Level, msg string, args []any) {
	if l.lines == nil {
		l.slog().Log(context.Background(), level, msg, args...)
		return
	}
	if l.lines.write(time.Now(), level, msg, args) {
		return
	}
	// The same writer: one line at a time, whichever writes it.
	l.lines.mu.Lock()
	defer l.lines.mu.Unlock()
	l.slog().Log(context.Background(), level, msg, args...)
}

// newStepLog returns the log of a step of pipeline and step, redacted by
// red. opts.Logger, or else a logger for a terminal, is used as it is;
// otherwise lines go to opts.Stderr as NewLogger's JSON handler writes them.
func newStepLog(opts Options, red *Redactor, pipeline, step string) *stepLog {
	l := &stepLog{slog: sync.OnceValue(func() *slog.Logger {
		base := opts.Logger
		if base == nil {
			base = NewLogger(opts.Stderr)
		}
		return slog.New(newRedactHandler(base.Handler(), red)).With("pipeline", pipeline, "step", step)
	})}
	if opts.Logger == nil && !isTerminal(opts.Stderr) {
		l.lines = &jsonLines{w: opts.Stderr, redact: red}
		l.lines.attrs = appendJSONAttr(appendJSONAttr(nil, "pipeline", red.String(pipeline)), "step", red.String(step))
	}
	return l
}

// isTerminal reports whether w is a terminal, where NewLogger writes text.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// jsonLines writes a step's log lines as slog's JSON handler does, with
// the time in UTC (inUTC) and the level Info at least.
type jsonLines struct {
	mu     sync.Mutex
	w      io.Writer
	redact *Redactor
	attrs  []byte // the logger's own attributes, encoded
}

// write writes one line and reports true, or reports false and writes
// nothing when a value is not one it encodes (slog's handler then does).
func (j *jsonLines) write(t time.Time, level slog.Level, msg string, args []any) bool {
	if level < slog.LevelInfo {
		return true
	}
	if y := t.Year(); y < 0 || y >= 10000 {
		return false
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"time":"`...)
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","level":"`...)
	b = append(b, level.String()...)
	b = append(b, `","msg":`...)
	b = appendJSONString(b, j.redact.String(msg))
	b = append(b, j.attrs...)
	for i := 0; i < len(args); i += 2 {
		key, ok := args[i].(string)
		if !ok || i+1 == len(args) {
			return false
		}
		if b, ok = j.appendValue(append(appendJSONString(append(b, ','), key), ':'), args[i+1]); !ok {
			return false
		}
	}
	b = append(b, "}\n"...)
	j.mu.Lock()
	defer j.mu.Unlock()
	_, _ = j.w.Write(b)
	return true
}

// appendValue encodes v as the redacting handler and slog's JSON handler
// do: strings and errors redacted, integers, booleans, and durations in
// nanoseconds.
func (j *jsonLines) appendValue(b []byte, v any) ([]byte, bool) {
	switch v := v.(type) {
	case string:
		return appendJSONString(b, j.redact.String(v)), true
	case int:
		return strconv.AppendInt(b, int64(v), 10), true
	case int64:
		return strconv.AppendInt(b, v, 10), true
	case uint64:
		return strconv.AppendUint(b, v, 10), true
	case bool:
		return strconv.AppendBool(b, v), true
	case time.Duration:
		return strconv.AppendInt(b, int64(v), 10), true
	case slog.LogValuer:
		// Resolved first by the handler, whatever else it is.
		return b, false
	case error:
		return appendJSONString(b, j.redact.String(v.Error())), true
	}
	return b, false
}

func appendJSONAttr(b []byte, key, value string) []byte {
	return appendJSONString(append(appendJSONString(append(b, ','), key), ':'), value)
}

// appendJSONString appends s quoted as slog's JSON handler quotes it:
// printable ASCII as it is but for the quote and the backslash, \n, \r
// and \t, other control characters as \u00XX, invalid UTF-8 as \ufffd,
// and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), `\u202`...)
			b = append(b, hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
