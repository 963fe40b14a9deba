package doclinks

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top directory, from this package's.
const root = "../.."

// linkPattern finds inline links and images: [text](target) and
// ![alt](target), with an optional title after the target.
var linkPattern = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// TestRelativeLinksResolve checks that every relative link in README.md and
// docs/**/*.md names a file of the repository and, with a #fragment, a
// heading of that file.
func TestRelativeLinksResolve(t *testing.T) {
	files := markdownFiles(t)
	if len(files) < 3 {
		t.Fatalf("found only %d Markdown files: is root %s the repository?", len(files), root)
	}
	anchors := map[string]map[string]bool{}
	anchorsOf := func(path string) map[string]bool {
		if a, ok := anchors[path]; ok {
			return a
		}
		a := headingAnchors(t, path)
		anchors[path] = a
		return a
	}
	checked := 0
	for _, file := range files {
		for _, l := range links(t, file) {
			target, fragment, _ := strings.Cut(l.target, "#")
			if isExternal(target) {
				continue
			}
			checked++
			dest := file
			if target != "" {
				dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(target))
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s:%d: link to %s: no such file", rel(file), l.line, l.target)
					continue
				}
			}
			if fragment == "" || !strings.HasSuffix(dest, ".md") {
				continue
			}
			if !anchorsOf(dest)[fragment] {
				t.Errorf("%s:%d: link to %s: %s has no heading with anchor #%s", rel(file), l.line, l.target, rel(dest), fragment)
			}
		}
	}
	t.Logf("%d relative links checked in %d files", checked, len(files))
	if checked == 0 {
		t.Fatal("no relative links found: the link pattern is broken")
	}
}

// TestAnchors pins the heading-to-anchor rule to the one GitHub uses.
func TestAnchors(t *testing.T) {
	for heading, want := range map[string]string{
		"Cost of a step":                                          "cost-of-a-step",
		"The fetch helper (`wurzel-fetch`)":                       "the-fetch-helper-wurzel-fetch",
		"The step spec (`wurzel.dev/step/v1`)":                    "the-step-spec-wurzeldevstepv1",
		"Steps in containers: `wurzel run --isolation container`": "steps-in-containers-wurzel-run---isolation-container",
		"`wurzel run` on the host":                                "wurzel-run-on-the-host",
		"Secrets and volumes":                                     "secrets-and-volumes",
		"What `wurzel run` does with `resources`":                 "what-wurzel-run-does-with-resources",
		"snake_case names":                                        "snake_case-names",
	} {
		if got := anchor(heading); got != want {
			t.Errorf("anchor(%q) = %q, want %q", heading, got, want)
		}
	}
}

type link struct {
	target string
	line   int
}

func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// links returns the links of a Markdown file outside fenced code blocks
// and code spans. A link's text may wrap onto the next line, so lines are
// matched a paragraph at a time.
func links(t *testing.T, path string) []link {
	t.Helper()
	var out []link
	var para []string
	first := 0
	flush := func() {
		text := withoutCodeSpans(strings.Join(para, "\n"))
		for _, m := range linkPattern.FindAllStringSubmatchIndex(text, -1) {
			line := first + strings.Count(text[:m[0]], "\n")
			out = append(out, link{target: text[m[2]:m[3]], line: line})
		}
		para = para[:0]
	}
	eachLine(t, path, func(n int, line string) {
		if strings.TrimSpace(line) == "" || n != first+len(para) {
			flush()
		}
		if strings.TrimSpace(line) == "" {
			return
		}
		if len(para) == 0 {
			first = n
		}
		para = append(para, line)
	})
	flush()
	return out
}

// headingAnchors returns the anchors of a Markdown file's ATX headings,
// numbered as GitHub numbers repeated ones (-1, -2, ...).
func headingAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	seen := map[string]int{}
	eachLine(t, path, func(_ int, line string) {
		text, ok := headingText(line)
		if !ok {
			return
		}
		a := anchor(text)
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	})
	return out
}

// eachLine calls fn with each line outside fenced code blocks.
func eachLine(t *testing.T, path string, fn func(n int, line string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	fence := ""
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fence = trimmed[:3]
			continue
		}
		fn(n, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

func headingText(line string) (string, bool) {
	hashes := len(line) - len(strings.TrimLeft(line, "#"))
	if hashes == 0 || hashes > 6 || len(line) == hashes || line[hashes] != ' ' {
		return "", false
	}
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[hashes:]), "#")), true
}

// anchor is GitHub's anchor for a heading: lower case, letters, digits,
// '-' and '_' kept, spaces made '-', everything else dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// withoutCodeSpans blanks `code spans`, whose brackets are not links.
func withoutCodeSpans(line string) string {
	var b strings.Builder
	in := false
	for _, r := range line {
		if r == '`' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isExternal(target string) bool {
	return strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:")
}

func rel(path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}
