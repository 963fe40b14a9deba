package dvcplay

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// playStage is a dvc.yaml stage as DVC sees it after templating.
type playStage struct {
	name       string
	cmds       []string
	wdir       string
	deps, outs []string
}

// readStages parses dvc.yaml in file order and undoes DVC's escaping of
// "${" as DVC's templating does.
func readStages(t testing.TB, data []byte) []playStage {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	var stagesNode *yaml.Node
	for i := 0; i < len(root.Content); i += 2 {
		if root.Content[i].Value == "stages" {
			stagesNode = root.Content[i+1]
		}
	}
	if stagesNode == nil {
		t.Fatal("dvc.yaml has no stages")
	}
	var stages []playStage
	for i := 0; i < len(stagesNode.Content); i += 2 {
		name, def := stagesNode.Content[i].Value, stagesNode.Content[i+1]
		var gen struct {
			Foreach []string
			Do      yaml.Node
		}
		if err := def.Decode(&gen); err != nil {
			t.Fatal(err)
		}
		if gen.Foreach == nil {
			stages = append(stages, readStage(t, name, def, nil))
			continue
		}
		// foreach over a list: one stage <name>@<item> each, with ${item}
		// put in, as DVC expands it.
		for _, item := range gen.Foreach {
			stages = append(stages, readStage(t, name+"@"+item, &gen.Do, map[string]string{"item": item}))
		}
	}
	return stages
}

// readStage reads one stage definition, putting in the variables of a
// foreach stage and undoing DVC's escaping of "${".
func readStage(t testing.TB, name string, def *yaml.Node, vars map[string]string) playStage {
	t.Helper()
	var raw struct {
		Cmd  any
		Wdir string
		Deps []string
		// Metrics and plots are outs that DVC also shows.
		Outs, Metrics, Plots []any
	}
	if err := def.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	resolve := func(s string) string { return unescape(interpolate(t, s, vars)) }
	st := playStage{name: name, wdir: resolve(raw.Wdir)}
	switch c := raw.Cmd.(type) {
	case string:
		st.cmds = []string{resolve(c)}
	case []any:
		for _, x := range c {
			st.cmds = append(st.cmds, resolve(fmt.Sprint(x)))
		}
	}
	for _, d := range raw.Deps {
		st.deps = append(st.deps, resolve(d))
	}
	for _, o := range append(append(raw.Outs, raw.Metrics...), raw.Plots...) {
		switch x := o.(type) {
		case string:
			st.outs = append(st.outs, resolve(x))
		case map[string]any:
			for k := range x {
				st.outs = append(st.outs, resolve(k))
			}
		}
	}
	return st
}

// interpolate puts vars into every "${name}" that is not escaped as
// "\${"; any other variable fails the test, since the generated projects
// use no params in their stages.
func interpolate(t testing.TB, s string, vars map[string]string) string {
	t.Helper()
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		if i > 0 && s[i-1] == '\\' {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			t.Fatalf("unterminated ${ in %q", s)
		}
		v, ok := vars[s[i+2:i+end]]
		if !ok {
			t.Fatalf("unknown variable %s in %q", s[i:i+end+1], s)
		}
		b.WriteString(s[:i] + v)
		s = s[i+end+1:]
	}
}

func unescape(s string) string { return strings.ReplaceAll(s, `\${`, "${") }

// within reports whether path a is b or inside it.
func within(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+"/")
}

// dependencyOrder sorts stages as DVC does: a stage runs after every stage
// whose outs its deps are, contain or lie inside; ties keep file order.
func dependencyOrder(t testing.TB, stages []playStage) []playStage {
	t.Helper()
	after := make([]map[int]bool, len(stages))
	for b := range stages {
		after[b] = map[int]bool{}
		for _, d := range stages[b].deps {
			for a := range stages {
				for _, o := range stages[a].outs {
					if a != b && (within(d, o) || within(o, d)) {
						after[b][a] = true
					}
				}
			}
		}
	}
	var order []playStage
	done := make([]bool, len(stages))
	for len(order) < len(stages) {
		progress := false
		for b := range stages {
			if done[b] {
				continue
			}
			ready := true
			for a := range after[b] {
				ready = ready && done[a]
			}
			if ready {
				done[b] = true
				order = append(order, stages[b])
				progress = true
				break
			}
		}
		if !progress {
			t.Fatal("the stages form a cycle")
		}
	}
	return order
}

// Play runs every stage of project/dvc.yaml and returns the combined
// output of the commands.
func Play(t testing.TB, project string, env []string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(project, "dvc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	for _, st := range dependencyOrder(t, readStages(t, data)) {
		wdir := filepath.Join(project, filepath.FromSlash(st.wdir))
		for _, d := range st.deps {
			if _, err := os.Stat(filepath.Join(wdir, d)); err != nil {
				t.Fatalf("stage %s: dep %s is missing before the stage runs: %v", st.name, d, err)
			}
		}
		for _, o := range st.outs {
			// DVC removes a stage's (non-persistent) outs before running it.
			if err := os.RemoveAll(filepath.Join(wdir, o)); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range st.cmds {
			cmd := exec.Command("sh", "-c", c)
			cmd.Dir = wdir
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			logs.Write(out)
			if err != nil {
				t.Fatalf("stage %s: %s: %v\n%s", st.name, c, err, out)
			}
		}
		for _, o := range st.outs {
			if _, err := os.Stat(filepath.Join(wdir, o)); err != nil {
				t.Fatalf("stage %s: out %s is missing after the stage ran: %v", st.name, o, err)
			}
		}
		t.Logf("stage %s: %d deps present, ran, %d outs present", st.name, len(st.deps), len(st.outs))
	}
	return logs.String()
}
