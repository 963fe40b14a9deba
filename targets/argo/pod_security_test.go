package argo_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// compile takes a pipeline source through the front end and the Argo
// target, as `wurzel generate --target argo` does, and returns its
// diagnostics and, when there is no error, its first document.
func compile(t *testing.T, src string) (hcl.Diagnostics, map[string]any) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.wurzel.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res, files, err := driver.Generate(dir, lang.Options{}, argo.New(), backend.GenerateOptions{Version: "v0.1.0"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Diagnostics.HasErrors() {
		return res.Diagnostics, nil
	}
	var doc map[string]any
	if err := yaml.NewDecoder(strings.NewReader(string(files[0].Data))).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return res.Diagnostics, doc
}

func get(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

// executorSecurity reads the security contexts the workflow's podSpecPatch
// gives Argo's init and wait containers.
func executorSecurity(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	var patch struct {
		InitContainers, Containers []struct {
			Name            string
			SecurityContext map[string]any
		}
	}
	if err := json.Unmarshal([]byte(get(doc, "spec", "podSpecPatch").(string)), &patch); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, c := range append(patch.InitContainers, patch.Containers...) {
		out[c.Name] = c.SecurityContext
	}
	return out
}

const ownUserPipeline = `
pipeline "own-user" {
  image = "debian:12"
  argo {
    security_context {
      run_as_user  = 1000
      run_as_group = 1000
    }
    pod_spec_patch = "{\"terminationGracePeriodSeconds\": 60}"
  }
}

step "produce" {
  command = ["sh", "-c", "echo data > data.txt"]
  output "data" { path = "data.txt" }
}

step "consume" {
  command = ["cat", "inputs/data"]
  input "data" { from = step.produce.output.data }
}
`

// TestOneUserPerPod: a user set for the containers is the pod's user too,
// so that Argo's init container (which creates the input directories with
// mode 0700) and wait container run as the step does, and the podSpecPatch
// says so to Argo's containers whatever its controller's settings. The
// pipeline's own patch moves to each template, where Argo applies it after
// wurzel's.
func TestOneUserPerPod(t *testing.T) {
	_, doc := compile(t, ownUserPipeline)
	pod := get(doc, "spec", "securityContext").(map[string]any)
	if pod["runAsUser"] != 1000 || pod["runAsGroup"] != 1000 || pod["fsGroup"] != 1000 || pod["runAsNonRoot"] != true {
		t.Errorf("pod securityContext %v", pod)
	}
	for name, sc := range executorSecurity(t, doc) {
		if sc["runAsUser"] != 1000.0 || sc["runAsGroup"] != 1000.0 {
			t.Errorf("Argo's %s container runs as %v:%v", name, sc["runAsUser"], sc["runAsGroup"])
		}
	}
	for i := 1; i <= 2; i++ {
		if p := get(doc, "spec", "templates", i, "podSpecPatch"); p != `{"terminationGracePeriodSeconds": 60}` {
			t.Errorf("template %d: podSpecPatch %v", i, p)
		}
	}

	diags, _ := compile(t, strings.Replace(ownUserPipeline, "argo {", "argo {\n    pod_security_context {\n      run_as_user = 2000\n    }", 1))
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "Conflicting users") {
		t.Errorf("a pod user and a container user that differ: %v", diags)
	}
}

// TestRestrictedPodSecurity: what Pod Security "restricted" asks of every
// container (no privilege escalation, all capabilities dropped, not root,
// RuntimeDefault seccomp) holds for Argo's containers too, through the
// podSpecPatch; settings that break it are warned about.
func TestRestrictedPodSecurity(t *testing.T) {
	_, doc := compile(t, `
pipeline "p" {
  image = "debian:12"
}
step "a" {
  command = ["true"]
}
`)
	if get(doc, "spec", "securityContext", "seccompProfile", "type") != "RuntimeDefault" || get(doc, "spec", "securityContext", "runAsNonRoot") != true {
		t.Errorf("pod securityContext %v", get(doc, "spec", "securityContext"))
	}
	for _, name := range []string{"init", "wait"} {
		sc := executorSecurity(t, doc)[name]
		if sc["allowPrivilegeEscalation"] != false || sc["runAsNonRoot"] != true || get(sc, "capabilities", "drop", 0) != "ALL" || sc["runAsUser"] != 65532.0 {
			t.Errorf("Argo's %s container: %v", name, sc)
		}
	}
	diags, _ := compile(t, `
pipeline "p" {
  image = "debian:12"
  argo {
    security_context {
      allow_privilege_escalation = true
    }
  }
}
step "a" {
  command = ["true"]
}
`)
	found := false
	for _, d := range diags {
		found = found || d.Summary == `Refused by Pod Security "restricted"`
	}
	if diags.HasErrors() || !found {
		t.Errorf("allow_privilege_escalation = true: %v", diags)
	}
}

// TestWritableScratch: the step gets a writable HOME and TMPDIR on
// emptyDirs, whatever its image and a read-only root file system; its own
// env and a volume at /tmp win.
func TestWritableScratch(t *testing.T) {
	_, doc := compile(t, `
pipeline "p" {
  image = "python:3.12-slim"
  argo {
    security_context {
      read_only_root_filesystem = true
    }
  }
}
volume "scratch" {
  type       = "empty_dir"
  mount_path = "/tmp"
}
step "plain" {
  command = ["true"]
}
step "own" {
  command = ["true"]
  env     = { HOME = "/home/app" }
  volumes = [volume.scratch]
}
`)
	mounts := func(i int) map[string]string {
		out := map[string]string{}
		for _, m := range get(doc, "spec", "templates", i, "container", "volumeMounts").([]any) {
			out[get(m, "mountPath").(string)] = get(m, "name").(string)
		}
		return out
	}
	env := func(i int) map[string][]string {
		out := map[string][]string{}
		for _, e := range get(doc, "spec", "templates", i, "container", "env").([]any) {
			out[get(e, "name").(string)] = append(out[get(e, "name").(string)], get(e, "value").(string))
		}
		return out
	}
	// Templates are main, own, plain (the DAG's topological order, ties
	// by name).
	own, plain := 1, 2
	if get(doc, "spec", "templates", plain, "name") != "plain" {
		t.Fatalf("template %d is %v", plain, get(doc, "spec", "templates", plain, "name"))
	}
	if m := mounts(plain); m["/tmp"] != "wurzel-tmp" || m["/wurzel/home"] != "wurzel-home" {
		t.Errorf("plain: mounts %v", m)
	}
	if e := env(plain); len(e["HOME"]) != 1 || e["HOME"][0] != "/wurzel/home" || len(e["TMPDIR"]) != 1 || e["TMPDIR"][0] != "/tmp" {
		t.Errorf("plain: env %v", e)
	}
	if m := mounts(own); m["/tmp"] != "volume-scratch" {
		t.Errorf("own: /tmp is %q", m["/tmp"])
	}
	if e := env(own); len(e["HOME"]) != 1 || e["HOME"][0] != "/home/app" {
		t.Errorf("own: HOME %v", e["HOME"])
	}
	names := map[string]bool{}
	for _, v := range get(doc, "spec", "volumes").([]any) {
		names[get(v, "name").(string)] = get(v, "emptyDir") != nil
	}
	if !names["wurzel-tmp"] || !names["wurzel-home"] {
		t.Errorf("volumes %v", names)
	}
}
