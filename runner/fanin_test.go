package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// TestFanIn runs three instances of a step with for_each (two with a file
// output, one with a directory) and a consumer that gathers every
// instance's output: it sees a directory with one entry per key, each
// verified against its producer's manifest, and each instance sees its key
// in WURZEL_EACH_KEY.
func TestFanIn(t *testing.T) {
	dir := t.TempDir()
	var fanIn []spec.Instance
	for _, key := range []string{"east", "north", "south"} {
		script := `set -e
[ "$WURZEL_EACH_KEY" = "` + key + `" ] || exit 11
[ "$WURZEL_STEP" = "prepare-` + key + `" ] || exit 12
mkdir -p out
printf '%s' "$WURZEL_EACH_KEY" > out/rows`
		st := newSpec(dir, "sh", "-c", script)
		st.Step, st.EachKey = "prepare-"+key, key
		st.Workdir = filepath.Join(dir, "work-"+key)
		st.Outputs = []spec.Output{{Name: "rows", Path: "out/rows", Kind: spec.KindFile, Location: "store/prepare-" + key + "/rows"}}
		st.Manifest = "store/prepare-" + key + "/manifest.json"
		if key == "south" {
			st.Command = []string{"sh", "-c", `mkdir -p out/rows/sub && printf '%s' "$WURZEL_EACH_KEY" > out/rows/sub/key`}
			st.Outputs[0].Kind = spec.KindDir
		}
		wantCode(t, execSpec(t, st), 0)
		fanIn = append(fanIn, spec.Instance{Key: key, Ref: spec.Ref{Step: "prepare-" + key, Output: "rows",
			Location: "store/prepare-" + key + "/rows", Manifest: "store/prepare-" + key + "/manifest.json"}})
	}

	merge := newSpec(dir, "sh", "-c", `set -e
[ -z "${WURZEL_EACH_KEY+x}" ] || exit 11
[ "$WURZEL_INPUT_ROWS" = "$WURZEL_WORKDIR/inputs/rows" ] || exit 12
{ ls inputs/rows; cat inputs/rows/east inputs/rows/north inputs/rows/south/sub/key; } > all.txt`)
	merge.Step = "merge"
	merge.Workdir = filepath.Join(dir, "merge-work")
	// A stale entry from an earlier attempt must not survive.
	writeFile(t, filepath.Join(merge.Workdir, "inputs", "rows", "west"), "stale")
	merge.Inputs = []spec.Input{{Name: "rows", Path: "inputs/rows", FanIn: fanIn}}
	merge.Outputs = []spec.Output{{Name: "all", Path: "all.txt", Kind: spec.KindFile, Location: "store/merge/all.txt"}}
	merge.Manifest = "store/merge/manifest.json"
	wantCode(t, execSpec(t, merge), 0)
	if got, want := readFile(t, filepath.Join(dir, "store", "merge", "all.txt")), "east\nnorth\nsouth\neastnorthsouth"; got != want {
		t.Errorf("the consumer saw %q, want %q", got, want)
	}

	// A tampered instance output is refused, naming the instance's step.
	if err := os.WriteFile(filepath.Join(dir, "store", "prepare-north", "rows"), []byte("NORTH"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := execSpec(t, merge)
	wantCode(t, res, CodeInput, "prepare-north")
}

func TestFanInValidation(t *testing.T) {
	dir := t.TempDir()
	ref := spec.Ref{Step: "a-x", Output: "o", Manifest: "m.json"}
	for name, in := range map[string]spec.Input{
		"bad key":       {Name: "in", Path: "in", FanIn: []spec.Instance{{Key: "../x", Ref: ref}}},
		"duplicate key": {Name: "in", Path: "in", FanIn: []spec.Instance{{Key: "x", Ref: ref}, {Key: "x", Ref: ref}}},
		"two origins":   {Name: "in", Path: "in", From: &ref, FanIn: []spec.Instance{{Key: "x", Ref: ref}}},
		"no manifest":   {Name: "in", Path: "in", FanIn: []spec.Instance{{Key: "x", Ref: spec.Ref{Step: "a-x", Output: "o"}}}},
	} {
		st := newSpec(dir, "true")
		st.Inputs = []spec.Input{in}
		if err := Validate(st); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	st := newSpec(dir, "true")
	st.EachKey = "North"
	if err := Validate(st); err == nil || !strings.Contains(err.Error(), "instance key") {
		t.Errorf("a bad each_key: %v", err)
	}
}
