package lsp

import (
	"strings"
	"testing"
	"time"
)

// diagnosticsWithin collects the publishDiagnostics notifications for uri
// that arrive within d.
func (c *client) diagnosticsWithin(uri string, d time.Duration) [][]diagnostic {
	c.t.Helper()
	var out [][]diagnostic
	deadline := time.After(d)
	for {
		select {
		case m := <-c.notes:
			if got, diags, ok := c.diagnosticsOf(m); ok && got == uri {
				out = append(out, diags)
			}
		case <-deadline:
			return out
		}
	}
}

// TestTypingBurstIsCheckedOnce: twenty edits in a row cost one check, of
// the last text, once typing pauses.
func TestTypingBurstIsCheckedOnce(t *testing.T) {
	f := setupWith(t, validMain, Options{Debounce: 500 * time.Millisecond})
	f.c.publishedDiagnostics(f.mainURI)
	broken := strings.Replace(validMain, `["cat", "in"]`, `["cat", var.missing]`, 1)
	for i := range 20 {
		text := validMain + strings.Repeat("\n", i)
		if i == 19 {
			text = broken
		}
		f.change(text)
	}
	got := f.c.diagnosticsWithin(f.mainURI, 2*time.Second)
	if len(got) != 1 {
		t.Fatalf("%d diagnostics notifications after a burst of edits, want 1: %+v", len(got), got)
	}
	if len(got[0]) != 1 || !strings.Contains(got[0][0].Message, "missing") {
		t.Errorf("the check did not see the last edit: %+v", got[0])
	}
}

// TestRequestChecksEditedText: a request right after an edit does not wait
// for the pause: it checks the edited text first, answers from it, and the
// diagnostics of that check follow.
func TestRequestChecksEditedText(t *testing.T) {
	f := setupWith(t, validMain, Options{Debounce: time.Hour})
	f.c.publishedDiagnostics(f.mainURI)
	// Two lines more before everything: the old check's ranges are stale.
	edited := "\n\n" + strings.Replace(validMain, `["cat", "in"]`, `["cat", var.missing]`, 1)
	f.change(edited)
	var locs []location
	f.c.call("textDocument/definition", map[string]any{
		"textDocument": map[string]any{"uri": f.mainURI},
		"position":     positionOf(t, edited, "volume.ca", 0),
	}, &locs)
	want := positionOf(t, edited, `volume `, 0)
	if len(locs) != 1 || locs[0].Range.Start != want {
		t.Errorf("definition after an edit = %+v, want line %d", locs, want.Line)
	}
	got := f.c.publishedDiagnostics(f.mainURI)
	if len(got[f.mainURI]) != 1 || !strings.Contains(got[f.mainURI][0].Message, "missing") {
		t.Errorf("diagnostics after the request: %+v", got[f.mainURI])
	}
}
