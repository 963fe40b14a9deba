package runner

import (
	"io"
	"log/slog"
)

// NewLogger returns the runner's default logger on w: human-readable text
// in local time on a terminal, JSON lines with times in UTC otherwise
// (pods, CI, files), which are read next to other machines' logs.
func NewLogger(w io.Writer) *slog.Logger {
	if isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: inUTC}))
}

// inUTC writes a record's time in UTC. Writing it in local time would also
// cost every step's runner the loading of the time zone database (about
// 0.05 ms) for its first line.
func inUTC(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 && a.Value.Kind() == slog.KindTime {
		a.Value = slog.TimeValue(a.Value.Time().UTC())
	}
	return a
}
