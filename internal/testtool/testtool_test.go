package testtool

import (
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a helper ended it.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = args[0].(string); panic(r) }
func (r *recorder) Fatal(args ...any) { r.failed = args[0].(string); panic(r) }
func (r *recorder) ends(fn func()) {
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	fn()
}

func TestNeedFindsAProgram(t *testing.T) {
	if got := Need(t, "go", "the Go toolchain"); !strings.HasSuffix(got, "go") {
		t.Errorf("Need(go) = %q", got)
	}
}

func TestMissingSkipsOrFails(t *testing.T) {
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		r.ends(func() { Need(r, "wurzel-no-such-program", "nowhere") })
		switch {
		case ci == "" && (r.failed != "" || !strings.Contains(r.skipped, "wurzel-no-such-program is not installed (nowhere)")):
			t.Errorf("without CI: skipped %q, failed %q; want a skip", r.skipped, r.failed)
		case ci != "" && (r.skipped != "" || !strings.Contains(r.failed, "CI must run this test")):
			t.Errorf("in CI: skipped %q, failed %q; want a failure", r.skipped, r.failed)
		}
	}
}
