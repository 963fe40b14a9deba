package harness

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/runner/local"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// Prepared is a case ready to run: a private copy of its pipeline, its
// variables, and the values of its secrets.
type Prepared struct {
	*Case
	Dir      string
	Vars     []string
	Pipeline *ir.Pipeline
	// Secrets are the Kubernetes Secrets to create (name -> key -> value)
	// and SecretEnv the variables the local run reads env secrets from.
	Secrets   map[string]map[string][]byte
	SecretEnv []string
}

// Prepare copies the case's pipeline, loads it, and gives every secret a
// value: a local directory's files when the case ships them, a made-up
// value otherwise, written where wurzel run reads it and kept for the
// Kubernetes Secret.
func (e *Env) Prepare(t testing.TB, c *Case) *Prepared {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pipeline")
	if err := os.CopyFS(dir, os.DirFS(c.Dir)); err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{".wurzel", "wurzel.lock"} {
		os.RemoveAll(filepath.Join(dir, junk))
	}
	p := &Prepared{Case: c, Dir: dir, Vars: c.expand(e.Sources.URL), Secrets: map[string]map[string][]byte{}}
	// The reference run gets the values the workflow is submitted with.
	loaded := driver.Check(dir, lang.Options{Vars: append(append([]string(nil), p.Vars...), c.Submit...), VarFiles: c.VarFiles, Environ: c.Environ})
	if loaded.Pipeline == nil || loaded.Diagnostics.HasErrors() {
		t.Fatalf("the pipeline does not load: %v", loaded.Diagnostics)
	}
	p.Pipeline = loaded.Pipeline
	for _, s := range p.Pipeline.Secrets {
		values := map[string][]byte{}
		for _, key := range s.Keys {
			values[key] = []byte("e2e-" + s.Name + "-" + key + "-value")
		}
		if s.Local != nil && s.Local.Dir != "" {
			sdir := s.Local.Dir
			if !filepath.IsAbs(sdir) {
				sdir = filepath.Join(dir, sdir)
			}
			for _, key := range s.Keys {
				f := filepath.Join(sdir, key)
				if data, err := os.ReadFile(f); err == nil {
					values[key] = data
				} else if err := os.MkdirAll(sdir, 0o700); err != nil {
					t.Fatal(err)
				} else if err := os.WriteFile(f, values[key], 0o400); err != nil {
					t.Fatal(err)
				}
			}
		}
		if s.Local != nil {
			for key, variable := range s.Local.Env {
				p.SecretEnv = append(p.SecretEnv, variable+"="+string(values[key]))
			}
		}
		if s.Kubernetes != nil && s.Kubernetes.Name != "" {
			p.Secrets[s.Kubernetes.Name] = values
		}
	}
	return p
}

// Reference runs the prepared pipeline with wurzel's local executor, as
// `wurzel run --keep-going` does, and returns what happened.
func (e *Env) Reference(t testing.TB, p *Prepared) *Outcome {
	t.Helper()
	home := t.TempDir()
	res, err := local.Run(context.Background(), p.Pipeline, local.Options{
		Executable: e.Wurzel, KeepGoing: true, Jobs: 2,
		// On the host, as the kubelet runs every container: a pipeline
		// whose local block asks for containers would need its images
		// pulled into a container engine.
		Isolation: ir.IsolationHost,
		Environ:   e.StepEnviron(home, p.SecretEnv),
	})
	out := &Outcome{Steps: map[string]*Step{}}
	if err != nil {
		// The run as a whole could not start: no step ran.
		t.Logf("wurzel run: %v", err)
		out.Phase = "Failed"
		for _, s := range p.Pipeline.Steps {
			out.Steps[s.Name] = &Step{Status: StepNotRun, Message: err.Error()}
		}
		return out
	}
	out.Phase, out.RunID = "Succeeded", res.RunID
	if !res.OK() {
		out.Phase = "Failed"
	}
	for _, r := range res.Steps {
		s := &Step{Message: r.Err, ExitCode: r.ExitCode}
		switch r.Status {
		case local.Succeeded:
			s.Status, s.Attempts = StepSucceeded, 1
			s.Outputs = localOutputs(t, filepath.Join(p.Dir, ".wurzel", "runs", res.RunID, r.Step, "manifest.json"))
		case local.Failed:
			s.Status, s.Attempts = StepFailed, 1
		default:
			s.Status = StepNotRun
		}
		out.Steps[r.Step] = s
	}
	return out
}

// localOutputs reads a local manifest's outputs.
func localOutputs(t testing.TB, file string) map[string]Files {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("a succeeded step's manifest: %v", err)
	}
	m, err := manifest.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return manifestFiles(m)
}

func manifestFiles(m *manifest.Manifest) map[string]Files {
	out := map[string]Files{}
	for _, o := range m.Outputs {
		files := Files{}
		for _, f := range o.Files {
			files[f.Path] = f.SHA256
		}
		out[o.Name] = files
	}
	return out
}

// SubmitParameters sets the workflow's parameters as `argo submit -p
// NAME=VALUE` does: each one given replaces its default.
func SubmitParameters(t testing.TB, wf *wfv1.Workflow, params []string) {
	t.Helper()
	for _, kv := range params {
		name, value, _ := strings.Cut(kv, "=")
		found := false
		for i := range wf.Spec.Arguments.Parameters {
			if wp := &wf.Spec.Arguments.Parameters[i]; wp.Name == name {
				wp.Value, found = wfv1.AnyStringPtr(value), true
			}
		}
		if !found {
			t.Fatalf("the workflow has no parameter %q to submit", name)
		}
	}
}
