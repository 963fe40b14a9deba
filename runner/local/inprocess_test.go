package local_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/local"
)

// handPipeline is a diamond built directly as IR, without the front end:
// a -> (b, c) -> d, each step a python3 one-liner copying its inputs.
func handPipeline(dir string) *ir.Pipeline {
	prog := `import os
data = os.environ["WURZEL_STEP"] + "\n"
for k in sorted(os.environ):
    if k.startswith("WURZEL_INPUT_"):
        data += open(os.environ[k]).read()
out = os.environ["WURZEL_OUTPUT_OUT"]
os.makedirs(os.path.dirname(out), exist_ok=True)
open(out, "w").write(data)
`
	step := func(name string, from ...string) ir.Step {
		s := ir.Step{Name: name, Command: []string{"python3", "-c", prog}, Needs: from,
			Outputs: []ir.Output{{Name: "out", Path: "out/" + name + ".txt", Kind: ir.OutputFile}}}
		for _, f := range from {
			s.Inputs = append(s.Inputs, ir.Input{Name: "from-" + f, Path: "inputs/" + f, From: &ir.OutputRef{Step: f, Output: "out"}})
		}
		return s
	}
	return &ir.Pipeline{
		Name: "hand",
		Dir:  dir,
		Steps: []ir.Step{
			step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"),
		},
		Edges: []ir.Edge{
			{From: "a", To: "b", Kind: ir.DataEdge, Output: "out", Input: "from-a"},
			{From: "a", To: "c", Kind: ir.DataEdge, Output: "out", Input: "from-a"},
			{From: "b", To: "d", Kind: ir.DataEdge, Output: "out", Input: "from-b"},
			{From: "c", To: "d", Kind: ir.DataEdge, Output: "out", Input: "from-c"},
		},
	}
}

// TestRunInProcess drives local.Run directly (so that the race detector
// sees the scheduler) on an IR made by hand.
func TestRunInProcess(t *testing.T) {
	needPython(t)
	buildWurzel(t)
	dir := t.TempDir()
	p := handPipeline(dir)
	var progress, summary bytes.Buffer
	beforeSteps := 0
	opts := local.Options{Jobs: 2, Executable: wurzelBin, Environ: os.Environ(), Progress: &progress, Summary: &summary,
		BeforeSteps: func() { beforeSteps++ }}
	wantBeforeSteps := func(run string, want int) {
		t.Helper()
		if beforeSteps != want {
			t.Errorf("%s: BeforeSteps called %d times in all, want %d", run, beforeSteps, want)
		}
	}
	res, err := local.Run(context.Background(), p, opts)
	wantBeforeSteps("first run", 1)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("run failed:\n%s\n%s", progress.String(), summary.String())
	}
	l, err := local.ReadLock(filepath.Join(dir, local.LockFileName))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(l.Steps["d"].Outputs["out"].Location)))
	if err != nil || string(data) != "d\nb\na\nc\na\n" {
		t.Errorf("d's output = %q, %v", data, err)
	}

	progress.Reset()
	res, err = local.Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.Status != local.Skipped || !s.Cached {
			t.Errorf("second run: %s %s", s.Step, s.Status)
		}
	}
	wantBeforeSteps("second run, every step up to date", 1)
	if !strings.Contains(progress.String(), "skipped  d (up to date)") {
		t.Errorf("progress:\n%s", progress.String())
	}

	// An output gone from the store makes its step run again.
	if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(l.Steps["c"].Outputs["out"].Location))); err != nil {
		t.Fatal(err)
	}
	progress.Reset()
	if res, err = local.Run(context.Background(), p, opts); err != nil || !res.OK() {
		t.Fatalf("third run: %v\n%s", err, progress.String())
	}
	for _, s := range res.Steps {
		if want := s.Step == "c"; (s.Status == local.Succeeded) != want {
			t.Errorf("third run: %s %s", s.Step, s.Status)
		}
	}
	wantBeforeSteps("third run", 2)
	if !strings.Contains(progress.String(), "start    c (outputs missing from the store)") {
		t.Errorf("progress:\n%s", progress.String())
	}
}

// TestLiveView checks the terminal view: a redrawn block of running steps
// (ANSI cursor movements) above which finished steps stay.
func TestLiveView(t *testing.T) {
	needPython(t)
	buildWurzel(t)
	dir := t.TempDir()
	p := handPipeline(dir)
	var progress, summary bytes.Buffer
	res, err := local.Run(context.Background(), p, local.Options{Jobs: 2, Executable: wurzelBin, Environ: os.Environ(), Progress: &progress, Summary: &summary, Terminal: true})
	if err != nil || !res.OK() {
		t.Fatalf("run: %v\n%s", err, summary.String())
	}
	out := progress.String()
	for _, want := range []string{"\x1b[", "running  a", "done     d in", "4/4 finished"} {
		if !strings.Contains(out, want) {
			t.Errorf("live view lacks %q:\n%q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\x1b[J") {
		t.Errorf("the live block is not erased at the end: %q", out[max(0, len(out)-40):])
	}
	if !strings.Contains(summary.String(), "STEP  STATUS     DURATION  CACHED") {
		t.Errorf("summary:\n%s", summary.String())
	}
}
