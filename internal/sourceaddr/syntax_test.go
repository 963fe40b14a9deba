package sourceaddr

import (
	"regexp"
	"testing"
)

// The regular expressions go-getter matches these forms with (forced
// getters in its Detect, scp-like addresses in its git detector), which
// the matchers in syntax.go replace.
var (
	forcedRE = regexp.MustCompile(`^([A-Za-z0-9]+)::(.+)$`)
	scpRE    = regexp.MustCompile(`^(?:([^@]+)@)?([^:]+):/?(.+)$`)
	commitRE = regexp.MustCompile(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)
)

func checkSyntax(t *testing.T, s string) {
	t.Helper()
	getter, rest, offset, ok := cutForced(s)
	if m := forcedRE.FindStringSubmatchIndex(s); (m != nil) != ok ||
		ok && (getter != s[m[2]:m[3]] || rest != s[m[4]:m[5]] || offset != m[4]) {
		t.Errorf("cutForced(%q) = %q, %q, %d, %v; the expression matches %v", s, getter, rest, offset, ok, m)
	}
	user, host, path, ok := cutSCP(s)
	if m := scpRE.FindStringSubmatch(s); (m != nil) != ok || ok && (user != m[1] || host != m[2] || path != m[3]) {
		t.Errorf("cutSCP(%q) = %q, %q, %q, %v; the expression matches %q", s, user, host, path, ok, m)
	}
	if got, want := isCommit(s), commitRE.MatchString(s); got != want {
		t.Errorf("isCommit(%q) = %v, want %v", s, got, want)
	}
}

var syntaxCases = []string{
	"", "git::https://example.com/r.git", "s3::https://b.s3.amazonaws.com/k", "::x", "a::", "a:b::c", "ab:::x",
	"g1t::x\n", "git::x\ny", "git::\xff", "Git9::a::b",
	"git@github.com:org/repo.git", "git@github.com:/org/repo", "h:/", "h:", ":p", "@h:p", "a@b@c:d", "a@:p",
	"a@b:", "a@b:\n", "user:pw@host:path", "host:/\n", "x\n@h:p", "a@h\n:p", "git@host:org/repo?ref=v1&x=%zz",
	"0123456789abcdef0123456789abcdef01234567", "0123456789ABCDEF0123456789abcdef01234567",
	"0123456789abcdef0123456789abcdef0123456g", "0123456789abcdef0123456789abcdef0123456",
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef01234567\n",
}

func TestSyntaxAgrees(t *testing.T) {
	for _, s := range syntaxCases {
		checkSyntax(t, s)
	}
}

func FuzzSyntaxAgrees(f *testing.F) {
	for _, s := range syntaxCases {
		f.Add(s)
	}
	f.Fuzz(checkSyntax)
}
