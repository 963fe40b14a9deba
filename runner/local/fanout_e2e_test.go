package local_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fanOut has a step with three instances, each reading its own source; the
// instances can only finish when they run at the same time (each waits for
// the next one to start). merge gathers every instance's output, report
// reads one instance and always runs.
const fanOut = `
pipeline "fan" {
  sources { allowed_schemes = ["file"] }
}

locals {
  next = { east = "north", north = "south", south = "east" }
}

step "prepare" {
  for_each = toset(["east", "north", "south"])
  command  = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log",
              "--touch", "@DIR@/${each.key}.started", "--wait-for", "@DIR@/${local.next[each.key]}.started"]
  input "shard" { source = "./shard-${each.key}.txt" }
  output "rows" { path = "out/rows.txt" }
}

step "merge" {
  command = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  input "rows" { from = step.prepare[*].output.rows }
  output "all" { path = "all.txt" }
}

step "report" {
  command    = ["python3", "-c", file("tool.py"), "--log", "@DIR@/events.log"]
  always_run = true
  input "north" { from = step.prepare["north"].output.rows }
  output "out" { path = "report.txt" }
}
`

func TestFanOutFanIn(t *testing.T) {
	p := newProject(t, fanOut)
	for _, k := range []string{"east", "north", "south"} {
		p.write("shard-"+k+".txt", k+"1\n")
	}
	res := p.mustRun("-j", "3")
	wantStatuses(t, res, map[string]string{"prepare-east": "succeeded", "prepare-north": "succeeded", "prepare-south": "succeeded", "merge": "succeeded", "report": "succeeded"})
	if got, want := p.output("merge", "all"), "merge\nprepare-east\neast1\nprepare-north\nnorth1\nprepare-south\nsouth1\n"; got != want {
		t.Errorf("merge's output = %q, want %q (the instances in key order)", got, want)
	}
	if got, want := p.output("report", "out"), "report\nprepare-north\nnorth1\n"; got != want {
		t.Errorf("report's output = %q, want %q", got, want)
	}

	// Nothing changed: only the step that always runs runs.
	res = p.mustRun("-j", "3")
	wantStatuses(t, res, map[string]string{"prepare-east": "skipped", "prepare-north": "skipped", "prepare-south": "skipped", "merge": "skipped", "report": "succeeded"})

	// One key's input changed: that instance and what reads it re-run.
	p.write("shard-south.txt", "south2\n")
	dry := p.mustRun("--dry-run")
	for _, want := range []string{"prepare-south run input shard changed", "prepare-north skip up to date", "merge run upstream prepare-south re-runs", "report run always_run"} {
		if !strings.Contains(collapse(dry.stdout), want) {
			t.Errorf("dry run lacks %q:\n%s", want, dry.stdout)
		}
	}
	res = p.mustRun("-j", "3")
	wantStatuses(t, res, map[string]string{"prepare-east": "skipped", "prepare-north": "skipped", "prepare-south": "succeeded", "merge": "succeeded", "report": "succeeded"})
	if got, want := p.output("merge", "all"), "merge\nprepare-east\neast1\nprepare-north\nnorth1\nprepare-south\nsouth2\n"; got != want {
		t.Errorf("merge's output = %q, want %q", got, want)
	}

	// --force on the step forces every instance; with a key, one.
	before := p.starts()
	p.mustRun("-j", "3", "--force", "prepare")
	after := p.starts()
	for _, k := range []string{"prepare-east", "prepare-north", "prepare-south"} {
		if after[k] != before[k]+1 {
			t.Errorf("--force prepare: %s ran %d times, want once", k, after[k]-before[k])
		}
	}
	res = p.mustRun("-j", "3", "--force", `prepare["north"]`)
	wantStatuses(t, res, map[string]string{"prepare-east": "skipped", "prepare-north": "succeeded", "prepare-south": "skipped", "merge": "skipped", "report": "succeeded"})
	if bad := p.run("--force", `prepare["west"]`); bad.code != 2 || !strings.Contains(bad.stderr, `no instance with the key "west"`) {
		t.Errorf("an unknown key: exit %d, stderr %q", bad.code, bad.stderr)
	}
}

// TestGridSearchExampleRunsEndToEnd runs examples/grid-search: a grid of
// fits (for_each over a setproduct), a score paired with each fit by key,
// and a pick gathering every score and model. Shrinking the grid re-runs
// only the pick; the announcement always runs.
func TestGridSearchExampleRunsEndToEnd(t *testing.T) {
	needPython(t)
	buildWurzel(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples", "grid-search"))); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, ".wurzel"))
	os.Remove(filepath.Join(dir, "wurzel.lock"))
	p := &project{t: t, dir: dir}
	res := p.mustRun("-j", "4")
	want := map[string]string{"split": "succeeded", "pick": "succeeded", "announce": "succeeded"}
	for _, d := range []string{"1", "2", "3"} {
		for _, r := range []string{"0", "100", "5000"} {
			want["fit-d"+d+"-r"+r] = "succeeded"
			want["score-d"+d+"-r"+r] = "succeeded"
		}
	}
	wantStatuses(t, res, want)
	var best struct {
		Key    string  `json:"key"`
		Degree int     `json:"degree"`
		MSE    float64 `json:"mse"`
	}
	if err := json.Unmarshal([]byte(p.output("pick", "best")), &best); err != nil {
		t.Fatal(err)
	}
	// The points lie on a parabola with a little noise.
	if best.Degree != 2 || best.MSE > 0.5 || !strings.HasPrefix(best.Key, "d2-") {
		t.Errorf("best model %+v, want a quadratic", best)
	}

	// A smaller grid: the remaining instances are up to date; the pick
	// sees fewer entries and runs again.
	res = p.mustRun("-j", "4", "--var", "ridge=[0, 100]")
	for k := range want {
		if strings.HasSuffix(k, "-r5000") {
			delete(want, k)
		} else {
			want[k] = "skipped"
		}
	}
	want["pick"], want["announce"] = "succeeded", "succeeded"
	wantStatuses(t, res, want)
}
