package runner

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"testing"

	getter "github.com/hashicorp/go-getter"
)

func TestRedactAddresses(t *testing.T) {
	key := "UFJJVkFURUtFWU1BVEVSSUFMLVhZWg=="
	for in, want := range map[string]string{
		"get https://bob:pw123@host/x failed":                  "get https://REDACTED@host/x failed",
		"git::https://tok@github.com/o/r.git":                  "git::https://REDACTED@github.com/o/r.git",
		"https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&a=1": "https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&a=REDACTED",
		"no urls here": "no urls here",
		// SCP-like git addresses: the key, never the path.
		"source git@host:org/repo.git?sshkey=" + key + ": failed":                                    "source git@host:org/repo.git?sshkey=REDACTED: failed",
		"git::git@host:repo.git?ref=v1&sshkey=" + key:                                                "git::git@host:repo.git?ref=v1&sshkey=REDACTED",
		"git::alice:pw@host:repo.git":                                                                "git::REDACTED@host:repo.git",
		"github.com/o/r?sshkey=" + key + "&depth=1":                                                  "github.com/o/r?sshkey=REDACTED&depth=1",
		`Get "https://h/x.csv?auth=SECRET2&private_token=glpat-1": refused`:                          `Get "https://h/x.csv?auth=REDACTED&private_token=REDACTED": refused`,
		"s3::https://s3.amazonaws.com/b/k?aws_access_key_id=AKIA&aws_access_key_secret=sk&region=eu": "s3::https://s3.amazonaws.com/b/k?aws_access_key_id=REDACTED&aws_access_key_secret=REDACTED&region=eu",
		"bucket.s3.amazonaws.com/k?aws_access_token=tok;version=3":                                   "bucket.s3.amazonaws.com/k?aws_access_token=REDACTED;version=3",
		// A checksum file's address, as written and escaped.
		"https://h/f?checksum=file:https://u:p@h/sums?token=T&archive=false": "https://h/f?checksum=file:https://REDACTED@h/sums?token=REDACTED&archive=false",
		"https://h/f?checksum=file%3Ahttps%3A%2F%2Fu%3Ap%40h%2Fsums":         "https://h/f?checksum=REDACTED",
		"https://h/f?checksum=sha256:00ff&filename=a.csv":                    "https://h/f?checksum=sha256:00ff&filename=a.csv",
		"error downloading 'ssh://git@h/r.git?sshkey=redacted'":              "error downloading 'ssh://REDACTED@h/r.git?sshkey=REDACTED'",
	} {
		if got := (*Redactor)(nil).String(in); got != want {
			t.Errorf("String(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestRedactKnownSource: the credentials of a source the runner knows are
// redacted even where no address surrounds them, and even when they hold
// characters that end an address in text.
func TestRedactKnownSource(t *testing.T) {
	r := NewRedactor("https://h/x?token=two%20words&sig=ab%2Bcd", "git::https://user:pa%24%24word@h/r.git")
	in := "server said: token two words rejected, sig ab+cd, https://h/x?token=two words, password pa$$word"
	got := r.String(in)
	for _, leak := range []string{"two words", "ab+cd", "pa$$word", "two%20words"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q leaked: %s", leak, got)
		}
	}
}

func TestRedactingLogger(t *testing.T) {
	var buf bytes.Buffer
	r := &Redactor{}
	r.Add("hunter2-password\n")
	r.Add("ab") // too short to redact safely
	log := slog.New(newRedactHandler(slog.NewJSONHandler(&buf, nil), r)).With("ctx", "pw=hunter2-password")
	log.Info("value hunter2-password in message", "err", errors.New("boom hunter2-password"),
		"list", []string{"x hunter2-password"}, slog.Group("g", "k", "hunter2-password"), "url", "https://u:p4ss@h/", "short", "ab cd")
	out := buf.String()
	if strings.Contains(out, "hunter2-password") || strings.Contains(out, "p4ss") {
		t.Fatalf("secret in log: %s", out)
	}
	if strings.Count(out, "REDACTED") < 6 || !strings.Contains(out, `"ab cd"`) {
		t.Fatalf("unexpected redaction: %s", out)
	}
}

// redactSeeds are addresses of every form go-getter reads, with {} where a
// credential goes.
var redactSeeds = []string{
	"https://alice:{}@example.com/data.csv",
	"https://{}@github.com/o/r.git",
	"git::https://x-access-token:{}@github.com/o/r.git?ref=main",
	"git@github.com:org/repo.git?sshkey={}",
	"git::git@host:repo.git?ref=v1&sshkey={}",
	"git::ssh://git@host/repo.git?sshkey={}&depth=1",
	"github.com/org/repo?sshkey={}",
	"github.com/org/repo//sub?ref=v1&sshkey={}",
	"gitlab.com/org/repo?private_token={}",
	"bitbucket.org/org/repo?auth={}",
	"https://gitlab.example.com/api/v4/x.tar.gz?private_token={}&archive=tar.gz",
	"http://example.com/f.zip?auth={}",
	"https://example.com/f.csv?checksum=file:https://u:{}@example.com/SHA256SUMS",
	"https://example.com/f.csv?checksum=file:https://example.com/SUMS?token={}",
	"s3::https://s3.amazonaws.com/bucket/key?aws_access_key_id=AKIA&aws_access_key_secret={}",
	"bucket.s3.amazonaws.com/key?aws_access_token={}&region=eu-west-1",
	"s3.amazonaws.com/bucket/key?aws_access_key_id={}",
	"gcs::https://www.googleapis.com/storage/v1/bucket/obj?sig={}",
	"www.googleapis.com/storage/v1/bucket/obj?X-Goog-Signature={}",
	"https://h/x?X-Amz-Signature={}&X-Amz-Credential=AKIA%2F2026",
	"https://h/x?token={}#frag",
	"https://h/x?ref=main&token={}",
	"https://h/x?a=1&b=2&key={}",
	"./corpus?token={}",
	"file::./x?token={}",
	"hg::https://u:{}@example.com/repo",
}

// redactWrappers are the ways messages quote an address.
var redactWrappers = []string{
	"%s",
	"source %s: failed",
	"error downloading '%s': exit status 128",
	"Get %q: dial tcp 127.0.0.1:1: connect: connection refused",
	"input \"data\": source %s: bad response code: 404",
	"(%s)",
}

// FuzzRedact holds the redaction to go-getter's own reading of an address:
// when go-getter reads the part {} of an address as a credential (user
// information, an SSH key, an S3 key, any query value it passes on to a
// server, a checksum file's credentials), no piece of it may show in the
// redacted message. Two messages that differ only in that credential are
// compared, so that text around the credential that happens to look like it
// does not count. This holds for an address the runner knows (a step's
// source) in any case, and for one it meets in a message when the address
// holds no white space or quote, where an address in text ends.
func FuzzRedact(f *testing.F) {
	for i, tmpl := range redactSeeds {
		f.Add(tmpl, "s3cr3t-V4lue+/==", uint8(i))
	}
	pwd := f.TempDir()
	f.Fuzz(func(t *testing.T, tmpl, secret string, wrap uint8) {
		other := otherSecret(secret)
		if len(secret) < minSecretLen || other == secret || strings.Count(tmpl, "{}") != 1 {
			return
		}
		addrA, addrB := strings.Replace(tmpl, "{}", secret, 1), strings.Replace(tmpl, "{}", other, 1)
		_, okA := credentialHolding(goGetterCredentials(addrA, pwd, 0), secret)
		_, okB := credentialHolding(goGetterCredentials(addrB, pwd, 0), other)
		if !okA || !okB {
			return // go-getter refuses the address, or {} is no credential
		}
		w := redactWrappers[int(wrap)%len(redactWrappers)]
		textA, textB := fmt.Sprintf(w, addrA), fmt.Sprintf(w, addrB)
		checkNoPiece(t, "known source "+addrA, secret, other, NewRedactor(addrA).String(textA), NewRedactor(addrB).String(textB))
		if strings.ContainsAny(addrA, " \t\n\r\v\f\"'`<>") {
			return // where such an address ends in a message is anyone's guess
		}
		checkNoPiece(t, "address "+addrA+" in a message", secret, other, (*Redactor)(nil).String(textA), (*Redactor)(nil).String(textB))
	})
}

// checkNoPiece fails when a piece of secret (as long as the shortest value
// redacted) shows in outA but not in outB, which was made with other in its
// place: then it came from the secret. And the other way round.
func checkNoPiece(t *testing.T, what, secret, other, outA, outB string) {
	t.Helper()
	for i := 0; i+minSecretLen <= len(secret); i++ {
		a, b := secret[i:i+minSecretLen], other[i:i+minSecretLen]
		if strings.Contains(outA, a) && !strings.Contains(outB, a) || strings.Contains(outB, b) && !strings.Contains(outA, b) {
			t.Fatalf("%s: a piece of its credential shows:\n%s\n%s", what, outA, outB)
		}
	}
}

// TestRedactSeedsHoldCredentials keeps the fuzz seeds meaningful: go-getter
// reads every {} as a credential.
func TestRedactSeedsHoldCredentials(t *testing.T) {
	pwd := t.TempDir()
	for _, tmpl := range redactSeeds {
		secret := "s3cr3t-V4lue"
		if _, ok := credentialHolding(goGetterCredentials(strings.Replace(tmpl, "{}", secret, 1), pwd, 0), secret); !ok {
			t.Errorf("go-getter reads no credential at {} in %q", tmpl)
		}
	}
}

// otherSecret maps the letters and digits of s to others, keeping every
// other byte: an address with it parses exactly as with s.
func otherSecret(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + (c-'a'+13)%26
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + (c-'A'+13)%26
		case c >= '0' && c <= '9':
			b[i] = '0' + (c-'0'+5)%10
		}
	}
	return string(b)
}

func credentialHolding(creds []string, secret string) (string, bool) {
	for _, c := range creds {
		if strings.Contains(c, secret) {
			return c, true
		}
	}
	return "", false
}

// goGetterCredentials is go-getter's reading of src's credentials: the user
// information of the URL it fetches (for SSH, a password in the user name;
// the user name alone is a login, not a secret) and every query value but
// its own content parameters, a checksum file's address read the same way.
func goGetterCredentials(src, pwd string, depth int) []string {
	detectors := []getter.Detector{}
	for _, d := range getter.Detectors {
		if _, ok := d.(*getter.BitBucketDetector); ok {
			d = bitbucketPrefix{} // go-getter's asks BitBucket's API
		}
		detectors = append(detectors, d)
	}
	detected, err := getter.Detect(src, pwd, detectors)
	if err != nil {
		return nil
	}
	if m := forcedGetter.FindStringSubmatch(detected); m != nil {
		detected = m[2]
	}
	raw, _ := getter.SourceDirSubdir(detected)
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	var creds []string
	if u.User != nil {
		name := u.User.Username()
		if u.Scheme != "ssh" {
			creds = append(creds, name)
		} else if _, pw, ok := strings.Cut(name, ":"); ok {
			creds = append(creds, pw)
		}
		if pw, ok := u.User.Password(); ok {
			creds = append(creds, pw)
		}
	}
	for k, vs := range u.Query() {
		for _, v := range vs {
			switch {
			case k == "checksum" && strings.HasPrefix(v, "file:") && depth < 3:
				creds = append(creds, goGetterCredentials(v[len("file:"):], pwd, depth+1)...)
			case !goGetterContentParams[k]:
				creds = append(creds, v)
			}
		}
	}
	return creds
}

// forcedGetter is go-getter's forced-getter syntax, "git::https://...".
var forcedGetter = regexp.MustCompile(`^([A-Za-z0-9]+)::(.+)$`)

// goGetterContentParams are the query parameters go-getter v1.8.10 reads
// itself that name content rather than grant access (client.go, get_git.go,
// get_hg.go, get_s3.go).
var goGetterContentParams = map[string]bool{
	"archive": true, "checksum": true, "filename": true, "ref": true, "depth": true,
	"rev": true, "version": true, "region": true, "aws_profile": true,
}

type bitbucketPrefix struct{}

func (bitbucketPrefix) Detect(src, _ string) (string, bool, error) {
	if strings.HasPrefix(src, "bitbucket.org/") {
		return "git::https://" + src, true, nil
	}
	return "", false, nil
}
