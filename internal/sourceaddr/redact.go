package sourceaddr

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Redacted replaces a credential in text.
const Redacted = "REDACTED"

// keptParams are the query parameters whose values are shown: go-getter's
// own parameters that name content, not access. Every other parameter's
// value is a credential as far as redaction goes. go-getter reads some
// itself (git's sshkey, S3's aws_access_key_id, aws_access_key_secret and
// aws_access_token), and its HTTP getter sends the rest on to the server,
// where any of them may be a token (GitLab's private_token, auth, sig,
// X-Amz-Signature...): a list of known secret names would always miss one.
// Names compare exactly, as go-getter reads them.
var keptParams = map[string]bool{
	"archive": true, "checksum": true, "filename": true, // the client
	"ref": true, "depth": true, // git
	"rev":     true,                                      // hg
	"version": true, "region": true, "aws_profile": true, // s3
}

// RedactText replaces the credentials of every source address or URL in
// text s with Redacted: the user information of URLs (`https://u:p@host`,
// also inside forced getters such as `git::https://...`), the password of
// an SCP-like address (`user:pass@host:path`), and the value of every query
// parameter but go-getter's own content parameters (see keptParams), in any
// address form go-getter reads: URLs, forced getters, SCP-like git
// addresses and the GitHub, GitLab, BitBucket, S3 and GCS shorthands. A
// `checksum=file:URL` parameter's URL is redacted the same way.
//
// Addresses are found as runs of characters between white space and quotes,
// so that an address quoted by %q or '%s' in an error is found too. A
// credential holding white space or a quote is only found by its parse; use
// Credentials to register the values of addresses known in advance.
func RedactText(s string) string {
	if !strings.ContainsAny(s, "@?") {
		return s
	}
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(redactToken(s[start:end], true))
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		if isDelimiter(s[i]) {
			flush(i)
			b.WriteByte(s[i])
		} else if start < 0 {
			start = i
		}
	}
	flush(len(s))
	return b.String()
}

// isDelimiter ends a candidate address: white space and the quotes error
// messages put around addresses. Multi-byte characters never delimit.
func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f', '"', '\'', '`', '<', '>':
		return true
	}
	return false
}

// Credentials returns the credentials in address src, as written and
// unescaped, so that a caller can redact them wherever they appear: in a
// tool's output, decoded, or without the address around them.
func Credentials(src string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if v != "" && v != Redacted && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	addForms := func(v string) {
		add(v)
		if u, err := url.QueryUnescape(v); err == nil {
			add(u)
		}
		if u, err := url.PathUnescape(v); err == nil {
			add(u)
		}
		// As %q prints it inside an error, url.Error's for one.
		q := strconv.Quote(v)
		add(q[1 : len(q)-1])
	}
	for _, sp := range credentialSpans(src, false) {
		v := src[sp.start:sp.end]
		addForms(v)
		if sp.userinfo {
			for _, part := range strings.Split(v, ":") {
				addForms(part)
			}
		}
	}
	return out
}

// span is the byte range of one credential in a token.
type span struct {
	start, end int
	userinfo   bool
}

// redactToken replaces the credentials of one candidate address; inText
// when it was cut out of a sentence.
func redactToken(tok string, inText bool) string {
	spans := credentialSpans(tok, inText)
	if len(spans) == 0 {
		return tok
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(tok[last:sp.start])
		b.WriteString(Redacted)
		last = sp.end
	}
	b.WriteString(tok[last:])
	return b.String()
}

// credentialSpans finds the credentials of tok, sorted and merged where
// they overlap. inText says that tok was cut out of a sentence, which may
// have put punctuation after it.
func credentialSpans(tok string, inText bool) []span {
	var spans []span
	spans = append(spans, userinfoSpans(tok)...)
	if sp, ok := scpUserSpan(tok); ok {
		spans = append(spans, sp)
	}
	spans = append(spans, querySpans(tok, 0, inText)...)
	return mergeSpans(spans)
}

// userinfoSpans finds the user information of every URL in tok: between
// "://" and the last "@" of the authority, which ends at the first "/",
// "?" or "#", as net/url reads it.
func userinfoSpans(tok string) []span {
	var spans []span
	for off := 0; ; {
		i := strings.Index(tok[off:], "://")
		if i < 0 {
			return spans
		}
		start := off + i + 3
		end := len(tok)
		if j := strings.IndexAny(tok[start:], "/?#"); j >= 0 {
			end = start + j
		}
		if at := strings.LastIndexByte(tok[start:end], '@'); at > 0 {
			spans = append(spans, span{start: start, end: start + at, userinfo: true})
		}
		off = start
	}
}

// scpUserSpan finds the password of an SCP-like address,
// `user:password@host:path`, with or without a forced getter: go-getter
// passes everything before the first "@" to git as the SSH user name.
func scpUserSpan(tok string) (span, bool) {
	rest, offset := tok, 0
	if _, r, off, ok := cutForced(tok); ok {
		rest, offset = r, off
	}
	at := strings.IndexByte(rest, '@')
	if at <= 0 || strings.Contains(rest[:at], "://") {
		return span{}, false
	}
	if !strings.Contains(rest[:at], ":") || !strings.Contains(rest[at:], ":") {
		return span{}, false
	}
	return span{start: offset, end: offset + at, userinfo: true}, true
}

// querySpans finds the values of the query parameters of tok that carry
// credentials, offset by base. Pairs are split on "&" and ";" alike (servers
// differ), keys compared unescaped.
func querySpans(tok string, base int, inText bool) []span {
	q := strings.IndexByte(tok, '?')
	if q < 0 {
		return nil
	}
	var spans []span
	pos := q + 1
	for pos <= len(tok) {
		end := pos + strings.IndexAny(tok[pos:], "&;")
		if end < pos {
			end = len(tok)
		}
		pair := tok[pos:end]
		if inText && end == len(tok) {
			// Punctuation that ends the address in a sentence.
			pair = strings.TrimRight(pair, ":,.)]")
		}
		spans = append(spans, pairSpans(pair, base+pos, inText)...)
		pos = end + 1
	}
	return spans
}

// pairSpans finds the credentials of one key=value pair at offset base.
func pairSpans(pair string, base int, inText bool) []span {
	key, value, ok := strings.Cut(pair, "=")
	if !ok || value == "" || value == Redacted {
		return nil
	}
	vstart := base + len(key) + 1
	whole := []span{{start: vstart, end: vstart + len(value)}}
	if k, err := url.QueryUnescape(key); err != nil || !keptParams[k] {
		return whole
	}
	// A kept value may hold an address itself (checksum=file:URL), as
	// written or escaped.
	var inner []span
	for _, sp := range credentialSpans(value, inText) {
		inner = append(inner, span{start: vstart + sp.start, end: vstart + sp.end, userinfo: sp.userinfo})
	}
	if dec, err := url.QueryUnescape(value); err != nil || dec != value && len(credentialSpans(dec, inText)) > 0 {
		return whole
	}
	return inner
}

// mergeSpans sorts spans and joins the overlapping ones.
func mergeSpans(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.start < last.end {
			last.end = max(last.end, sp.end)
			last.userinfo = last.userinfo || sp.userinfo
			continue
		}
		out = append(out, sp)
	}
	return out
}
