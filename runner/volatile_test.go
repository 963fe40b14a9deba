package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/runner/internal/guardian"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

func TestVolatileManifestRefusedForS3(t *testing.T) {
	st := newSpec(t.TempDir(), "true")
	st.Manifest = "s3://bucket/demo/manifest.json"
	st.VolatileManifest = true
	wantCode(t, execSpec(t, st), CodeBadSpec, "volatile_manifest is for a local manifest, not s3://bucket/demo/manifest.json")
}

// syncCall matches a traced call that makes data durable.
var syncCall = regexp.MustCompile(`\b(fsync|fdatasync|syncfs|sync_file_range)\(`)

// TestVolatileManifestIsNotSynced runs the real wurzel-step under strace:
// a manifest is synced before its rename, unless the spec says it is
// volatile (Argo's pods), when the runner syncs nothing at all. Either way
// the manifest is renamed into place whole.
func TestVolatileManifestIsNotSynced(t *testing.T) {
	straceBin := testtool.Need(t, "strace", "Debian package strace")
	runner := testbin.Step(t)
	for _, volatile := range []bool{false, true} {
		dir := t.TempDir()
		st := newSpec(dir, "true")
		st.VolatileManifest = volatile
		specFile := writeSpecFile(t, dir, st)
		trace := filepath.Join(dir, "trace")
		cmd := exec.Command(straceBin, "-f", "-qq", "-y", "-o", trace, runner, "--spec", specFile)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("volatile %v: wurzel-step under strace: %v\n%s", volatile, err, out)
		}
		if m := readManifest(t, st.Manifest); m.Step != "work" {
			t.Errorf("volatile %v: manifest of step %q", volatile, m.Step)
		}
		var syncs []string
		for _, line := range strings.Split(readFile(t, trace), "\n") {
			if syncCall.MatchString(line) {
				syncs = append(syncs, line)
			}
		}
		manifestSynced := false
		for _, line := range syncs {
			if strings.Contains(line, ".manifest.json.tmp-") {
				manifestSynced = true
			}
		}
		switch {
		case !volatile && !manifestSynced:
			t.Errorf("the manifest was not synced before its rename; sync calls:\n%s", strings.Join(syncs, "\n"))
		case volatile && len(syncs) > 0:
			t.Errorf("a volatile manifest's step synced:\n%s", strings.Join(syncs, "\n"))
		}
	}
}

// TestContainedStepHasNoGuardian runs the real wurzel-step, which starts
// the guardian itself once it has read the spec: the command lists the
// runner's children, among which a guardian is only when the step is not
// contained.
func TestContainedStepHasNoGuardian(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	runner := testbin.Step(t)
	for _, contained := range []bool{false, true} {
		dir := t.TempDir()
		st := newSpec(dir, "sh", "-c", `for p in $(cat /proc/$PPID/task/*/children); do tr '\0' ' ' < /proc/$p/cmdline; echo; done > ../children`)
		st.Contained = contained
		specFile := writeSpecFile(t, dir, st)
		cmd := exec.Command(runner, "--spec", specFile)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("contained %v: wurzel-step: %v\n%s", contained, err, out)
		}
		children := readFile(t, filepath.Join(dir, "children"))
		if !strings.Contains(children, "sh -c") {
			t.Fatalf("contained %v: the command is not among the runner's children:\n%s", contained, children)
		}
		if guarded := strings.Contains(children, guardian.Argv0); guarded == contained {
			t.Errorf("contained %v: guardian started %v; the runner's children:\n%s", contained, guarded, children)
		}
	}
}

// writeSpecFile writes st as dir/spec.json, for a runner process to read.
func writeSpecFile(t *testing.T, dir string, st *spec.Step) string {
	t.Helper()
	data, err := spec.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	specFile := filepath.Join(dir, "spec.json")
	writeFile(t, specFile, string(data))
	return specFile
}
