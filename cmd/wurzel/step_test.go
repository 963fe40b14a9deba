package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stepSpecJSON is a one-step spec writing out.txt with the given shell
// script, publishing it and its manifest under dir.
func stepSpecJSON(t *testing.T, dir, script string) string {
	t.Helper()
	doc := map[string]any{
		"version":  "wurzel.dev/step/v1",
		"pipeline": "demo",
		"step":     "hello",
		"command":  []string{"sh", "-c", script},
		"workdir":  filepath.Join(dir, "work"),
		"outputs":  []map[string]any{{"name": "out", "path": "out.txt", "kind": "file", "location": filepath.Join(dir, "store", "out.txt")}},
		"manifest": filepath.Join(dir, "store", "manifest.json"),
		"sources":  map[string]any{"allowed_schemes": []string{"https"}},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func runStep(t *testing.T, environ []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		environ: append([]string{"PATH=" + os.Getenv("PATH")}, environ...)}
	code = a.run(append([]string{"step", "exec"}, args...))
	return code, out.String(), errOut.String()
}

func TestStepExecSources(t *testing.T) {
	dir := t.TempDir()
	doc := stepSpecJSON(t, dir, `echo "$WURZEL_RUN_ID" > out.txt; echo done`)
	specFile := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specFile, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		env  []string
		args []string
		id   string
	}{
		"file":      {args: []string{"--spec", specFile, "--run-id", "r-file"}, id: "r-file"},
		"json flag": {args: []string{"--spec-json", doc}, env: []string{"WURZEL_RUN_ID=r-env"}, id: "r-env"},
		"env":       {env: []string{"WURZEL_STEP_SPEC=" + doc, "WURZEL_RUN_ID=r-env2"}, id: "r-env2"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runStep(t, tc.env, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if stdout != "done\n" {
				t.Errorf("stdout = %q: the command's output must pass through", stdout)
			}
			m, err := os.ReadFile(filepath.Join(dir, "store", "manifest.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(m), `"run_id": "`+tc.id+`"`) {
				t.Errorf("manifest does not carry run id %s:\n%s", tc.id, m)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "store", "out.txt")); string(got) != tc.id+"\n" {
				t.Errorf("the command saw WURZEL_RUN_ID %q", got)
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if !json.Valid([]byte(line)) {
					t.Errorf("log line is not JSON: %q", line)
				}
			}
		})
	}
}

func TestStepExecExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := stepSpecJSON(t, dir, "exit 0")
	for name, tc := range map[string]struct {
		args []string
		code int
		msg  string
	}{
		"no spec":        {args: nil, code: 120, msg: "no step spec"},
		"two specs":      {args: []string{"--spec", "x", "--spec-json", good}, code: 120, msg: "mutually exclusive"},
		"missing file":   {args: []string{"--spec", filepath.Join(dir, "nope.json")}, code: 120, msg: "nope.json"},
		"bad version":    {args: []string{"--spec-json", strings.Replace(good, "step/v1", "step/v9", 1)}, code: 120, msg: "not supported"},
		"unknown field":  {args: []string{"--spec-json", strings.Replace(good, `"step":`, `"stepp":"x","step":`, 1)}, code: 120, msg: "stepp"},
		"unknown flag":   {args: []string{"--nope"}, code: 120, msg: "unknown flag"},
		"extra argument": {args: []string{"--spec-json", good, "extra"}, code: 120, msg: "no arguments"},
		"invalid spec":   {args: []string{"--spec-json", strings.Replace(good, `"path":"out.txt"`, `"path":"../out.txt"`, 1)}, code: 120, msg: "inside the work directory"},
		"command status": {args: []string{"--spec-json", stepSpecJSON(t, dir, "exit 42")}, code: 42},
		"missing output": {args: []string{"--spec-json", stepSpecJSON(t, dir, "true")}, code: 123},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runStep(t, nil, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr does not mention %q:\n%s", tc.msg, stderr)
			}
		})
	}
}
