package runner

import (
	"io"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"
)

// NewLogger returns the runner's default logger on w: human-readable text
// on a terminal, JSON lines otherwise (pods, CI, files).
func NewLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}
