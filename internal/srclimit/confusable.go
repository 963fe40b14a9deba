package srclimit

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// isBidiControl reports the characters that reorder how text is shown
// (Unicode's Bidi_Control property): with them, code can read differently
// on screen than the parser reads it (CVE-2021-42574, "Trojan Source").
func isBidiControl(r rune) bool {
	return unicode.Is(unicode.Bidi_Control, r)
}

// Confusables returns warnings about text that may not mean what it shows:
// the first bidirectional control character of the file (with their count),
// and each identifier of native code that mixes letters of several scripts,
// such as a Cyrillic "а" among Latin letters, once per name.
func Confusables(filename string, src []byte, json bool) hcl.Diagnostics {
	_, warnings := CheckAll(filename, src, json)
	return warnings
}

// CheckAll is Check and Confusables in one scan: the errors of the one, the
// warnings of the other (none when there are errors).
func CheckAll(filename string, src []byte, json bool) (errs, warnings hcl.Diagnostics) {
	errs, warnings, _ = checkAll(filename, src, json, false)
	return errs, warnings
}

// CheckItems is CheckAll for native syntax that also returns where the
// file's top-level items may begin: 0, then the offsets of the lines that
// start outside any bracket, string, heredoc or comment with a name, in
// order. Such a line starts an attribute or a block for the parser, so the
// text between two of them can be parsed on its own.
func CheckItems(filename string, src []byte) (errs, warnings hcl.Diagnostics, items []int) {
	return checkAll(filename, src, false, true)
}

// Items returns where the top-level items of src, in native syntax, may
// begin, as CheckItems does, without checking anything: an editor uses it
// to read the item around a position without reading the whole file. The
// scan starts outside any bracket, string or comment: at the start of src
// or of a line that CheckItems or Items returned.
func Items(src []byte) []int {
	items := []int{0}
	s := newScanner(src, 0)
	s.onTopLine = func(line int) {
		if startsItem(src, line) {
			items = append(items, line)
		}
	}
	for s.pos < len(src) {
		f := s.top()
		if f != nil && (f.kind == frameString || f.kind == frameHeredoc) {
			s.scanTemplateText(f)
			continue
		}
		s.scanCode(modeConfig)
	}
	return items
}

// startsItem says whether the line at offset line starts with a name.
func startsItem(src []byte, line int) bool {
	i := line
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return isIdentStart(src, i)
}

func checkAll(filename string, src []byte, json, wantItems bool) (errs, warnings hcl.Diagnostics, items []int) {
	if d := bidiWarning(filename, src); d != nil {
		warnings = append(warnings, d)
	}
	s := newScanner(src, 0)
	if json {
		s.scanJSON()
		return s.diagnostics(filename, hcl.InitialPos), warnings, nil
	}
	seen := map[string]bool{}
	s.onIdent = func(start, end int) {
		name := string(src[start:end])
		if seen[name] || isASCII(name) {
			return
		}
		seen[name] = true
		if scripts := scriptsOf(name); len(scripts) > 1 {
			r := rangeAt(filename, src, hcl.InitialPos, start)
			r.End = rangeAt(filename, src, hcl.InitialPos, end).Start
			warnings = append(warnings, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Identifier mixes scripts",
				Detail:   fmt.Sprintf("%q mixes %s letters, so it may look like a different name that it is not. Write it in one script.", name, strings.Join(scripts, " and ")),
				Subject:  &r,
			})
		}
	}
	if wantItems {
		s.onTopLine = func(line int) {
			if startsItem(src, line) {
				items = append(items, line)
			}
		}
		items = append(items, 0)
	}
	s.scanNative(modeConfig)
	if s.failed {
		return s.diagnostics(filename, hcl.InitialPos), nil, nil
	}
	return nil, warnings, items
}

func bidiWarning(filename string, src []byte) *hcl.Diagnostic {
	first, count := -1, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r >= 0x61c && isBidiControl(r) {
			if first < 0 {
				first = i
			}
			count++
		}
		i += max(size, 1)
	}
	if count == 0 {
		return nil
	}
	r := rangeAt(filename, src, hcl.InitialPos, first)
	more := ""
	if count > 1 {
		more = fmt.Sprintf(" This file holds %d of them; this is the first.", count)
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Bidirectional control character",
		Detail:   fmt.Sprintf("The character U+%04X here changes the order in which the text around it is shown, so the code may read differently on screen than it runs.%s Remove it unless the text really is right-to-left.", []rune(string(src[first:r.End.Byte]))[0], more),
		Subject:  &r,
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// scriptsOf returns the names of the scripts of the letters of name, sorted;
// characters common to all scripts (digits, "_", "-") and combining marks
// belong to none.
func scriptsOf(name string) []string {
	found := map[string]bool{}
	for _, r := range name {
		if r < utf8.RuneSelf {
			if unicode.IsLetter(r) {
				found["Latin"] = true
			}
			continue
		}
		for script, table := range unicode.Scripts {
			if script != "Common" && script != "Inherited" && unicode.Is(table, r) {
				found[script] = true
				break
			}
		}
	}
	out := make([]string, 0, len(found))
	for s := range found {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
