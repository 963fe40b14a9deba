package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"
)

// viaSlog is what the runner's slog logger writes for one line: the
// redacting handler over NewLogger's JSON handler.
func viaSlog(t testing.TB, red *Redactor, at time.Time, level slog.Level, msg string, args ...any) string {
	t.Helper()
	var buf bytes.Buffer
	h := newRedactHandler(NewLogger(&buf).Handler(), red).WithAttrs([]slog.Attr{slog.String("pipeline", "p\u2028<&>"), slog.String("step", "s")})
	if h.Enabled(context.Background(), level) {
		rec := slog.NewRecord(at, level, msg, 0)
		rec.Add(args...)
		if err := h.Handle(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	return buf.String()
}

// byHand is what jsonLines writes for the same line, and whether it took it.
func byHand(red *Redactor, at time.Time, level slog.Level, msg string, args ...any) (string, bool) {
	var buf bytes.Buffer
	l := newStepLog(Options{Stderr: &buf}, red, "p\u2028<&>", "s")
	if l.lines == nil {
		panic("a buffer gets lines written by hand")
	}
	ok := l.lines.write(at, level, msg, args)
	return buf.String(), ok
}

type namedString string

type valuer struct{}

func (valuer) LogValue() slog.Value { return slog.StringValue("resolved") }

type loggedError struct{}

func (loggedError) Error() string                { return "an error with s3cr3t-t0ken in it" }
func (loggedError) MarshalJSON() ([]byte, error) { return []byte(`{"e":1}`), nil }

// TestStepLogAgrees: every line the runner writes by hand is the line
// slog's handlers would write, and what it leaves to them is left.
func TestStepLogAgrees(t *testing.T) {
	red := NewRedactor("https://user:s3cr3t-t0ken@example.com/x")
	at := time.Date(2026, 12, 3, 1, 2, 3, 450000000, time.FixedZone("X", 3600))
	cases := []struct {
		level slog.Level
		msg   string
		args  []any
		hand  bool
	}{
		{slog.LevelInfo, "step started", []any{"run_id", "20261203T003058Z-7e1d4e0b"}, true},
		{slog.LevelInfo, "command started", []any{"command", "true", "args", 0, "workdir", "/tmp/w"}, true},
		{slog.LevelError, "step failed", []any{"exit_code", 125, "error", "fetching https://user:s3cr3t-t0ken@example.com/x: \"no\"\n\t\r\x00\x7f\b\f", "duration", "1ms"}, true},
		{slog.LevelWarn, "odd \xff text \u2028\u2029 é 😀 <&>", []any{"read_only", true, "bytes", int64(-5), "big", uint64(1 << 63), "d", 1500 * time.Millisecond}, true},
		{slog.LevelInfo, "an error", []any{"error", errors.New("s3cr3t-t0ken leaked")}, true},
		{slog.LevelInfo, "an error that marshals itself", []any{"error", loggedError{}}, true},
		{slog.LevelDebug, "work directory ready", []any{"workdir", "/w"}, true},
		{slog.LevelInfo, "no attributes", nil, true},
		// Left to slog.
		{slog.LevelInfo, "a float", []any{"f", 1.5}, false},
		{slog.LevelInfo, "a valuer", []any{"v", valuer{}}, false},
		{slog.LevelInfo, "an attr", []any{slog.Int("n", 1)}, false},
		{slog.LevelInfo, "a key alone", []any{"k"}, false},
		{slog.LevelInfo, "a slice", []any{"s", []string{"a"}}, false},
		{slog.LevelInfo, "a named string", []any{"s", namedString("x")}, false},
		{slog.LevelInfo, "nil", []any{"s", nil}, false},
	}
	for _, c := range cases {
		want := viaSlog(t, red, at, c.level, c.msg, c.args...)
		got, hand := byHand(red, at, c.level, c.msg, c.args...)
		if hand != c.hand {
			t.Errorf("%q: written by hand %v, want %v", c.msg, hand, c.hand)
			continue
		}
		if hand && got != want {
			t.Errorf("%q:\n by hand %s\nby slog %s", c.msg, got, want)
		}
		if !hand && got != "" {
			t.Errorf("%q: a line left to slog was written too: %s", c.msg, got)
		}
	}
}

// FuzzStepLogAgrees holds the hand-written lines to slog's for any text.
func FuzzStepLogAgrees(f *testing.F) {
	f.Add("msg", "key", "value \n\u2028\xff", int64(3), true, "secret-value")
	f.Fuzz(func(t *testing.T, msg, key, value string, n int64, b bool, secret string) {
		red := NewRedactor()
		red.Add(secret)
		at := time.Unix(n%(1<<35), n%1e9)
		want := viaSlog(t, red, at, slog.LevelInfo, msg, key, value, "n", n, "b", b, "err", errors.New(value+secret))
		got, hand := byHand(red, at, slog.LevelInfo, msg, key, value, "n", n, "b", b, "err", errors.New(value+secret))
		if !hand || got != want {
			t.Fatalf("by hand (%v):\n%s\nby slog:\n%s", hand, got, want)
		}
	})
}

// TestStepLogChoosesItsWriter: lines are written by hand to a file or a
// buffer, but through the caller's logger when there is one.
func TestStepLogChoosesItsWriter(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if l := newStepLog(Options{Stderr: f}, NewRedactor(), "p", "s"); l.lines == nil {
		t.Error("a runner logging to a file does not write its lines by hand")
	}
	var own bytes.Buffer
	l := newStepLog(Options{Stderr: f, Logger: slog.New(slog.NewTextHandler(&own, nil))}, NewRedactor(), "p", "s")
	if l.lines != nil {
		t.Fatal("the caller's logger is not used")
	}
	l.Info("hello", "n", 1)
	if !bytes.Contains(own.Bytes(), []byte("msg=hello pipeline=p step=s n=1")) {
		t.Errorf("the caller's logger got %q", own.String())
	}
}

// TestStepLogLinesWhole: lines written by hand and lines left to slog, from
// two goroutines, reach the writer whole and one at a time.
func TestStepLogLinesWhole(t *testing.T) {
	var buf bytes.Buffer
	l := newStepLog(Options{Stderr: &buf}, NewRedactor(), "p", "s")
	done := make(chan bool)
	for _, v := range []any{1, 1.5} {
		go func() {
			for range 200 {
				l.Info("line", "v", v)
			}
			done <- true
		}()
	}
	<-done
	<-done
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != 400 {
		t.Fatalf("%d lines, want 400", len(lines))
	}
	for _, line := range lines {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil || m["msg"] != "line" {
			t.Fatalf("a line is not whole: %q (%v)", line, err)
		}
	}
}
