package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/dvcplay"
)

// ContractCase is the pipeline whose records the three back ends must
// agree on.
const ContractCase = "e2e/contract.txtar"

// recordOutput is the output each step of the contract case records to.
const recordOutput = "record"

// Records are each step's record, as the step wrote it.
type Records map[string][]byte

// LocalRecords reads the records a wurzel run left in p's directory.
func LocalRecords(t testing.TB, p *Prepared, o *Outcome) Records {
	t.Helper()
	recs := Records{}
	for name := range o.Steps {
		data, err := os.ReadFile(filepath.Join(p.Dir, ".wurzel", "runs", o.RunID, name, "outputs", recordOutput))
		if err != nil {
			t.Fatalf("wurzel run: step %s: %v", name, err)
		}
		recs[name] = data
	}
	return recs
}

// DVCRecords generates the DVC project of a fresh copy of the case, plays
// dvc repro on it and returns its records.
func (e *Env) DVCRecords(t testing.TB, c *Case) Records {
	t.Helper()
	p := e.Prepare(t, c)
	args := []string{"generate", p.Dir, "--target", "dvc"}
	for _, v := range p.Vars {
		args = append(args, "--var", v)
	}
	if out, err := command(e.Wurzel, args...).CombinedOutput(); err != nil {
		t.Fatalf("wurzel generate --target dvc: %v\n%s", err, out)
	}
	env := e.StepEnviron(t.TempDir(), p.SecretEnv)
	env[0] = "PATH=" + filepath.Dir(e.Wurzel) + ":" + strings.TrimPrefix(env[0], "PATH=")
	dvcplay.Play(t, p.Dir, env)
	recs := Records{}
	for _, s := range p.Pipeline.Steps {
		data, err := os.ReadFile(filepath.Join(p.Dir, "data", s.Name, recordOutput))
		if err != nil {
			t.Fatalf("dvc repro: step %s: %v", s.Name, err)
		}
		recs[s.Name] = data
	}
	return recs
}

// CompareRecords fails t unless every back end's records equal the first
// one's, once the documented fields are normalized (NormalizeRecord).
func CompareRecords(t testing.TB, names []string, sets []Records) {
	t.Helper()
	ref := sets[0]
	var steps []string
	for s := range ref {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	for i := 1; i < len(sets); i++ {
		if len(sets[i]) != len(ref) {
			t.Errorf("%s recorded %d steps, %s %d", names[i], len(sets[i]), names[0], len(ref))
		}
		for _, s := range steps {
			want, got := NormalizeRecord(t, ref[s]), NormalizeRecord(t, sets[i][s])
			if !reflect.DeepEqual(want, got) {
				w, _ := json.MarshalIndent(want, "", " ")
				g, _ := json.MarshalIndent(got, "", " ")
				t.Errorf("step %s: the record under %s differs from the one under %s:\n%s:\n%s\n%s:\n%s",
					s, names[i], names[0], names[0], w, names[i], g)
			}
		}
	}
}

// NormalizeRecord decodes a step's record and replaces what legitimately
// differs between back ends (docs/targets/argo.md lists these fields):
//   - the run id (WURZEL_RUN_ID): each run has its own;
//   - absolute paths: the work directory, inputs, outputs and the working
//     directory become paths relative to the work directory; secret and
//     volume directories, whose place each back end chooses, become
//     "<dir>";
//   - the user: Argo runs steps as the pod's user (65532 by default), wurzel
//     run and DVC as whoever runs them;
//   - in a secret's directory, the atomic writer's entries of a Kubernetes
//     volume (..data, ..<time>) and the group bits of the key files' modes
//     (Argo's fsGroup adds group read).
func NormalizeRecord(t testing.TB, data []byte) map[string]any {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("a record that is not JSON: %v\n%s", err, data)
	}
	env, _ := r["env"].(map[string]any)
	work, _ := env["WURZEL_WORKDIR"].(string)
	rel := func(p string) string {
		if r, err := filepath.Rel(work, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return "<outside the work directory: " + p + ">"
	}
	for k, v := range env {
		s, _ := v.(string)
		switch {
		case k == "WURZEL_RUN_ID":
			env[k] = "<run id>"
		case k == "WURZEL_WORKDIR" || strings.HasPrefix(k, "WURZEL_INPUT_") || strings.HasPrefix(k, "WURZEL_OUTPUT_"):
			env[k] = rel(s)
		case strings.HasPrefix(k, "WURZEL_SECRET_") || strings.HasPrefix(k, "WURZEL_VOLUME_"):
			env[k] = "<dir>"
		}
	}
	if cwd, ok := r["cwd"].(string); ok {
		r["cwd"] = rel(cwd)
	}
	delete(r, "user")
	secrets, _ := r["secrets"].(map[string]any)
	for _, files := range secrets {
		fm, _ := files.(map[string]any)
		for name, entry := range fm {
			if strings.HasPrefix(name, "..") {
				delete(fm, name)
				continue
			}
			if e, ok := entry.(map[string]any); ok {
				if mode, ok := e["mode"].(string); ok {
					e["mode"] = clearGroup(mode)
				}
			}
		}
	}
	return r
}

// clearGroup removes the group digit of an octal mode such as "0440".
func clearGroup(mode string) string {
	var m int
	if _, err := fmt.Sscanf(mode, "%o", &m); err != nil {
		return mode
	}
	return fmt.Sprintf("%04o", m&^0o070)
}
