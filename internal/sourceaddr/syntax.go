package sourceaddr

import "strings"

// The three patterns of go-getter's address syntax that Parse and the
// redactor need, matched without package regexp: wurzel-step links this
// package, and package regexp keeps unicode's tables, which every start of
// the runner (and its guardian) would then build. TestSyntaxAgrees and
// FuzzSyntaxAgrees hold each to the regular expression go-getter uses,
// kept in the test as the reference.

// cutForced splits go-getter's forced-getter syntax, "git::https://...",
// as `^([A-Za-z0-9]+)::(.+)$` does: the getter, the rest, and the rest's
// offset in src.
func cutForced(src string) (getter, rest string, offset int, ok bool) {
	i := strings.Index(src, "::")
	if i <= 0 || !isAlnum(src[:i]) {
		return "", "", 0, false
	}
	rest = src[i+2:]
	if !isLine(rest) {
		return "", "", 0, false
	}
	return src[:i], rest, i + 2, true
}

// cutSCP splits go-getter's scp-like SSH shorthand, "git@host:org/repo",
// as `^(?:([^@]+)@)?([^:]+):/?(.+)$` does: the user (empty without one),
// the host and the path.
func cutSCP(src string) (user, host, path string, ok bool) {
	if at := strings.IndexByte(src, '@'); at > 0 {
		if host, path, ok := cutHostPath(src[at+1:]); ok {
			return src[:at], host, path, true
		}
	}
	host, path, ok = cutHostPath(src)
	return "", host, path, ok
}

// cutHostPath is `([^:]+):/?(.+)$`.
func cutHostPath(s string) (host, path string, ok bool) {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return "", "", false
	}
	path = s[colon+1:]
	if len(path) > 1 && path[0] == '/' {
		path = path[1:]
	}
	if !isLine(path) {
		return "", "", false
	}
	return s[:colon], path, true
}

// isCommit reports whether ref is a full git commit id, SHA-1 or SHA-256
// (`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`).
func isCommit(ref string) bool {
	if len(ref) != 40 && len(ref) != 64 {
		return false
	}
	for i := 0; i < len(ref); i++ {
		if c := ref[i] | 0x20; !('0' <= ref[i] && ref[i] <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// isLine is `.+$`: not empty, and no newline (a regular expression's dot
// matches anything else, bytes that are not UTF-8 included).
func isLine(s string) bool { return s != "" && !strings.Contains(s, "\n") }
