package sourceaddr

import (
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	getter "github.com/hashicorp/go-getter"
)

// corpus holds addresses of every shape go-getter's detectors know.
var corpus = []string{
	"./corpus", "corpus", "data/in.csv?checksum=sha256:00ff", "../shared/data", "/abs/path/file.tar.gz",
	"./dir//sub/dir", "./dir//sub?archive=false", "file:///abs/file.csv", "file:///abs/dir//sub",
	"file::./x", "file::/abs/x?checksum=md5:0011", "git::./repo", "git::file:///tmp/repo?ref=v1",
	"git::https://example.com/repo.git//sub?ref=main", "https://example.com/data.csv?checksum=sha256:ab",
	"http://example.com/a.zip", "s3::https://s3.amazonaws.com/bucket/key", "gcs::https://www.googleapis.com/storage/v1/b/o",
	"github.com/org/repo", "github.com/org/repo//sub?ref=v1", "github.com/org", "gitlab.com/org/repo",
	"bitbucket.org/org/repo", "git@github.com:org/repo.git", "git@github.com:org/repo.git?ref=v2",
	"alice@host:path/repo", "host:path", "bucket.s3.amazonaws.com/key", "s3.amazonaws.com/bucket/key",
	"bucket.s3.eu-west-1.amazonaws.com/key", "x.amazonaws.com", "www.googleapis.com/storage/v1/bucket/obj",
	"www.googleapis.com/short", "hg::https://example.com/repo", "data:x", "C:stuff", "", "?checksum=x",
	"a//b//c", "s3://bucket/key", "gs://bucket/key", "./weird name/with space", "./a?b=c//d",
	"git::git@github.com:org/repo.git", "file::github.com/org/repo", "./x::y", "foo::", "::x",
	// Inputs the fuzzer found where an earlier Parse disagreed with go-getter.
	"0#0", "//0://", "0// ", "#0//0", "00000://00000000000000000000?00000000 000000!0%",
}

// bitbucketPrefix stands in for go-getter's BitBucket detector, which asks
// BitBucket's API over the network: it claims the same addresses.
type bitbucketPrefix struct{}

func (bitbucketPrefix) Detect(src, _ string) (string, bool, error) {
	if strings.HasPrefix(src, "bitbucket.org/") {
		return "git::https://" + src, true, nil
	}
	return "", false, nil
}

// goGetterLocal is go-getter's own answer: whether its file getter reads
// src, and the absolute path it reads.
func goGetterLocal(src, pwd string) (local bool, path string) {
	detectors := []getter.Detector{}
	for _, d := range getter.Detectors {
		if _, ok := d.(*getter.BitBucketDetector); ok {
			d = bitbucketPrefix{}
		}
		detectors = append(detectors, d)
	}
	detected, err := getter.Detect(src, pwd, detectors)
	if err != nil {
		return false, ""
	}
	forced := ""
	if m := forcedRE.FindStringSubmatch(detected); m != nil {
		forced, detected = m[1], m[2]
	}
	raw, subdir := getter.SourceDirSubdir(detected)
	u, err := getterURL(raw)
	if err != nil || u.scheme != "file" || forced != "" && forced != "file" || u.path == "" {
		return false, ""
	}
	return true, filepath.Join(u.path, subdir)
}

type parsedURL struct{ scheme, path string }

func getterURL(raw string) (parsedURL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return parsedURL{}, err
	}
	return parsedURL{u.Scheme, u.Path}, nil
}

func checkParity(t *testing.T, src, pwd string) {
	t.Helper()
	wantLocal, wantPath := goGetterLocal(src, pwd)
	a, err := Parse(src, pwd)
	if err != nil && wantLocal {
		t.Fatalf("Parse(%q): %v, but go-getter reads it as local", src, err)
	}
	if a.Local != wantLocal {
		t.Fatalf("Parse(%q).Local = %v, go-getter reads it as local: %v", src, a.Local, wantLocal)
	}
	if !wantLocal {
		return
	}
	if a.Path != wantPath {
		t.Fatalf("Parse(%q).Path = %q, go-getter reads %q", src, a.Path, wantPath)
	}
}

func TestParityWithGoGetter(t *testing.T) {
	pwd := t.TempDir()
	for _, src := range corpus {
		checkParity(t, src, pwd)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		src      string
		local    bool
		path     string
		forced   string
		checksum string
	}{
		{"./corpus", true, "/p/corpus", "", ""},
		{"../up/x", true, "/up/x", "", ""},
		{"data/in.csv?checksum=sha256:00ff", true, "/p/data/in.csv", "", "sha256:00ff"},
		{"./dir//sub?archive=false", true, "/p/dir/sub", "", ""},
		{"file:///abs/file.csv", true, "/abs/file.csv", "", ""},
		{"file::/abs/x?checksum=md5:0011", true, "/abs/x", "file", "md5:0011"},
		{"git::./repo", false, "", "git", ""},
		{"https://example.com/d.csv?checksum=sha256:ab", false, "", "", "sha256:ab"},
		{"github.com/org/repo//sub?ref=v1", false, "", "", ""},
		{"git@github.com:org/repo.git", false, "", "", ""},
		{"bucket.s3.amazonaws.com/key?checksum=sha1:aa", false, "", "", "sha1:aa"},
		{"", false, "", "", ""},
	}
	for _, tt := range tests {
		a, err := Parse(tt.src, "/p")
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
		}
		if a.Local != tt.local || a.Path != tt.path ||
			a.Forced != tt.forced || a.Checksum() != tt.checksum {
			t.Errorf("Parse(%q) = local %v path %q forced %q checksum %q; want %v %q %q %q",
				tt.src, a.Local, a.Path, a.Forced, a.Checksum(), tt.local, tt.path, tt.forced, tt.checksum)
		}
		wantRoot := tt.path
		if tt.src == "./dir//sub?archive=false" {
			wantRoot = "/p/dir"
		}
		if a.Root != wantRoot {
			t.Errorf("Parse(%q).Root = %q, want %q", tt.src, a.Root, wantRoot)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{"file::https://user:pw@example.com/%zz", "./a%zz", "relative/without/pwd"} {
		pwd := "/p"
		if src == "relative/without/pwd" {
			pwd = ""
		}
		if a, err := Parse(src, pwd); err == nil || a.Local {
			t.Errorf("Parse(%q) = %+v, %v; want an error", src, a, err)
		}
	}
}

// FuzzParity holds Parse to go-getter's detectors on arbitrary addresses.
func FuzzParity(f *testing.F) {
	for _, src := range corpus {
		f.Add(src)
	}
	pwd := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		checkParity(t, src, pwd)
	})
}

func TestGetterAndPin(t *testing.T) {
	const sha1 = "0123456789abcdef0123456789abcdef01234567"
	for _, tt := range []struct{ src, getter, pin string }{
		{"git::https://example.com/r.git?ref=" + sha1, "git", "git-commit:" + sha1},
		{"github.com/org/repo?ref=" + strings.ToUpper(sha1), "git", "git-commit:" + sha1},
		{"git@github.com:org/repo.git?ref=" + sha1, "git", "git-commit:" + sha1},
		{"git::https://example.com/r.git?ref=v1.2.0", "git", ""},
		{"git::https://example.com/r.git?ref=0123456", "git", ""}, // abbreviated: may become ambiguous
		{"git::https://example.com/r.git", "git", ""},
		{"https://example.com/f.csv?ref=" + sha1, "https", ""}, // not git: ref means nothing
		{"https://example.com/f.csv?checksum=sha256:ab", "https", "checksum:sha256:ab"},
		{"bucket.s3.amazonaws.com/key", "s3", ""},
		{"www.googleapis.com/storage/v1/b/o", "gcs", ""},
		{"./corpus", "file", ""},
	} {
		a, err := Parse(tt.src, "/p")
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if a.Getter != tt.getter || a.Pin() != tt.pin {
			t.Errorf("Parse(%q): getter %q, pin %q; want %q, %q", tt.src, a.Getter, a.Pin(), tt.getter, tt.pin)
		}
	}
}

func TestCredentials(t *testing.T) {
	for src, want := range map[string][]string{
		"git@github.com:org/repo.git?sshkey=a2V5&ref=v1": {"a2V5"},
		"git::https://user:p%40ss@host/r.git":            {"user:p%40ss", "user:p@ss", `user:p%40ss`, "user", "p%40ss", "p@ss"},
		"https://h/x?private_token=t1&auth=a+b":          {"t1", "a+b", "a b"},
		"./corpus?checksum=sha256:00ff":                  nil,
	} {
		got := Credentials(src)
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("Credentials(%q) = %q, missing %q", src, got, w)
			}
		}
		if want == nil && len(got) > 0 {
			t.Errorf("Credentials(%q) = %q, want none", src, got)
		}
	}
}
