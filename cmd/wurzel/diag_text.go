package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/mattn/go-isatty"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// palette holds the terminal escapes of the human output; the zero palette
// prints plain text.
type palette struct {
	on bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiBlue   = "\x1b[34m"
)

func (p palette) paint(s string, codes ...string) string {
	if !p.on || s == "" {
		return s
	}
	return strings.Join(codes, "") + s + ansiReset
}

// colorFor decides whether output to w is coloured: only on a terminal, and
// never when NO_COLOR is set to anything (https://no-color.org).
// CLICOLOR_FORCE=1 forces colour where there is no terminal
// (https://bixense.com/clicolors), but NO_COLOR still wins.
func colorFor(w io.Writer, environ []string) palette {
	if spec.Getenv(environ, "NO_COLOR") != "" {
		return palette{}
	}
	if force := spec.Getenv(environ, "CLICOLOR_FORCE"); force != "" && force != "0" {
		return palette{on: true}
	}
	f, ok := w.(*os.File)
	if !ok {
		return palette{}
	}
	fd := f.Fd()
	return palette{on: isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)}
}

// diagWriter prints diagnostics for people: severity and summary, where,
// the source lines with the subject underlined, then the detail.
type diagWriter struct {
	w   io.Writer
	src *sources
	pal palette
}

// diagWriter is the one writer every command prints diagnostics with, to
// standard error: source snippets from src, colour on a terminal unless
// NO_COLOR says otherwise.
func (a *app) diagWriter(src *sources) *diagWriter {
	return &diagWriter{w: a.stderr, src: src, pal: colorFor(a.stderr, a.environ)}
}

// writeDiagnostics prints diags the way validate does. files are the parsed
// files (lang.Result.Files); files not in it are read from disk. Commands
// that load a pipeline report its diagnostics with it.
func (a *app) writeDiagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) {
	a.diagWriter(newSources(files)).writeAll(diags)
}

// maxSnippetLines is how many lines of a long subject are quoted; the
// middle of longer ones is elided.
const maxSnippetLines = 7

func (dw *diagWriter) writeAll(diags hcl.Diagnostics) {
	for _, g := range groupWarnings(diags) {
		dw.writeGroup(g.first, g.more)
	}
}

// warningGroup is a diagnostic and the later warnings like it.
type warningGroup struct {
	first *hcl.Diagnostic
	more  []*hcl.Diagnostic
}

// groupWarnings folds each warning that has a place into the first earlier
// warning of the same summary, as Terraform does, so that a thousand unused
// variables make one warning "and 999 more similar warnings" rather than
// pages that hide the errors. Errors are never folded.
func groupWarnings(diags hcl.Diagnostics) []*warningGroup {
	out := make([]*warningGroup, 0, len(diags))
	bySummary := map[string]*warningGroup{}
	for _, d := range diags {
		if d.Severity != hcl.DiagWarning || d.Subject == nil {
			out = append(out, &warningGroup{first: d})
			continue
		}
		if g, ok := bySummary[d.Summary]; ok {
			g.more = append(g.more, d)
			continue
		}
		g := &warningGroup{first: d}
		bySummary[d.Summary] = g
		out = append(out, g)
	}
	return out
}

// maxListedPlaces is how many places of a group's folded warnings are named.
const maxListedPlaces = 5

// similarWarnings says how many warnings a group folded, and where the
// first few are.
func (dw *diagWriter) similarWarnings(more []*hcl.Diagnostic) string {
	var places []string
	for _, d := range more[:min(len(more), maxListedPlaces)] {
		places = append(places, fmt.Sprintf("%s:%d", dw.src.display(d.Subject.Filename), d.Subject.Start.Line))
	}
	where := strings.Join(places, ", ")
	if len(more) > maxListedPlaces {
		where += ", ..."
	}
	if len(more) == 1 {
		return fmt.Sprintf("(and one more similar warning, at %s)", where)
	}
	return fmt.Sprintf("(and %d more similar warnings, at %s)", len(more), where)
}

func (dw *diagWriter) write(d *hcl.Diagnostic) { dw.writeGroup(d, nil) }

// writeGroup prints d, then how many warnings like it were folded into it.
func (dw *diagWriter) writeGroup(d *hcl.Diagnostic, more []*hcl.Diagnostic) {
	p := dw.pal
	label, color := "Error", ansiRed
	if d.Severity == hcl.DiagWarning {
		label, color = "Warning", ansiYellow
	}
	fmt.Fprintf(dw.w, "%s %s\n", p.paint(label+":", ansiBold, color), p.paint(printable(d.Summary), ansiBold))
	if d.Subject != nil {
		dw.writeSubject(d, color)
	}
	if detail := printable(strings.TrimSpace(dw.src.displayText(d.Detail))); detail != "" {
		fmt.Fprintf(dw.w, "\n%s\n", detail)
	}
	if len(more) > 0 {
		fmt.Fprintf(dw.w, "\n%s\n", printable(dw.similarWarnings(more)))
	}
	fmt.Fprintln(dw.w)
}

func (dw *diagWriter) writeSubject(d *hcl.Diagnostic, color string) {
	p := dw.pal
	where := fmt.Sprintf("%s:%d:%d", dw.src.display(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column)
	sn := dw.src.snippetOf(d)
	if sn == nil {
		fmt.Fprintf(dw.w, "\n  on %s\n", p.paint(where, ansiBold))
		return
	}
	if sn.Context != "" {
		fmt.Fprintf(dw.w, "\n  on %s, in %s:\n", p.paint(where, ansiBold), sn.Context)
	} else {
		fmt.Fprintf(dw.w, "\n  on %s:\n", p.paint(where, ansiBold))
	}

	lines := strings.Split(sn.Code, "\n")
	lastLine := sn.StartLine + len(lines) - 1
	width := len(strconv.Itoa(lastLine))
	gutter := func(label string) string {
		return "  " + p.paint(fmt.Sprintf("%*s |", width, label), ansiDim, ansiBlue)
	}
	offset := 0 // byte offset of the current line in sn.Code
	for i, line := range lines {
		start, end := offset, offset+len(line)
		offset = end + 1
		if elided(i, len(lines)) {
			if i == maxSnippetLines/2 {
				fmt.Fprintf(dw.w, "%s ...\n", gutter(""))
			}
			continue
		}
		from, to, ok := highlightOnLine(sn, start, end)
		if !ok {
			from, to = start, start
		}
		shown, from, to := cropLine(line, from-start, to-start)
		fmt.Fprintf(dw.w, "%s %s\n", gutter(strconv.Itoa(sn.StartLine+i)), printable(shown))
		if ok {
			fmt.Fprintf(dw.w, "%s %s%s\n", gutter(""), indentLike(shown[:from]), p.paint(carets(shown[from:to]), ansiBold, color))
		}
	}
	for _, v := range sn.Values {
		fmt.Fprintf(dw.w, "%s %s %s\n", gutter(""), p.paint(v.Traversal, ansiBold), v.Statement)
	}
}

// highlightOnLine returns the part of the snippet's highlight that lies on
// the line at [start, end) of its code, without the line's indentation when
// the highlight began on an earlier line; ok is false when the highlight
// does not touch the line.
func highlightOnLine(sn *snippet, start, end int) (from, to int, ok bool) {
	hs, he := sn.HighlightStart, sn.HighlightEnd
	touches := hs <= end && he > start
	emptyHere := hs == he && hs >= start && hs <= end
	if !touches && !emptyHere {
		return 0, 0, false
	}
	from, to = max(hs, start), min(he, end)
	if from == start && hs < start {
		for from < to && (sn.Code[from] == ' ' || sn.Code[from] == '\t') {
			from++
		}
	}
	return from, to, true
}

// Lines longer than maxLineBytes (a JSON file on one line, say) are cut to
// a window around the highlight, starting cropContext bytes before it.
const (
	maxLineBytes = 160
	cropContext  = 40
)

// cropLine returns the part of line to show and the highlight's offsets
// [from, to) in it, marking cut ends with "...".
func cropLine(line string, from, to int) (shown string, newFrom, newTo int) {
	if len(line) <= maxLineBytes {
		return line, from, to
	}
	lo := max(0, from-cropContext)
	for lo > 0 && !utf8.RuneStart(line[lo]) {
		lo--
	}
	cut := min(len(line), lo+maxLineBytes)
	hi := cut
	for hi > lo && hi < len(line) && !utf8.RuneStart(line[hi]) {
		hi--
	}
	if hi == lo {
		hi = cut // no character starts in the window (not UTF-8): cut anywhere
	}
	prefix, suffix := "", ""
	if lo > 0 {
		prefix = "..."
	}
	if hi < len(line) {
		suffix = "..."
	}
	from, to = clamp(from, lo, hi), clamp(to, lo, hi)
	return prefix + line[lo:hi] + suffix, len(prefix) + from - lo, len(prefix) + to - lo
}

// printable replaces control characters other than tab and newline, so that
// a file cannot send escape sequences to the terminal through a snippet.
// Each character stays one character, which keeps the carets aligned.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && r != '\n' && unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// elided reports whether line i of n is left out of a long snippet: the
// first and last lines stay.
func elided(i, n int) bool {
	if n <= maxSnippetLines {
		return false
	}
	head := maxSnippetLines / 2
	tail := maxSnippetLines - head - 1
	return i >= head && i < n-tail
}

// indentLike returns blanks as wide as prefix, keeping its tabs so that the
// carets line up under the text whatever the tab width.
func indentLike(prefix string) string {
	var b strings.Builder
	for _, r := range prefix {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// carets returns one ^ per character of s, at least one.
func carets(s string) string {
	return strings.Repeat("^", max(1, utf8.RuneCountInString(s)))
}
