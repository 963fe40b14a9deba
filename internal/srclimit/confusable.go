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
	if d := bidiWarning(filename, src); d != nil {
		warnings = append(warnings, d)
	}
	s := newScanner(src, 0)
	if json {
		s.scanJSON()
		return s.diagnostics(filename, hcl.InitialPos), warnings
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
	s.scanNative(modeConfig)
	if s.failed {
		return s.diagnostics(filename, hcl.InitialPos), nil
	}
	return nil, warnings
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
