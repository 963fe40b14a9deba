package dvc

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// stage is the part of a dvc.yaml stage the tests look at.
type stage struct {
	Desc          string `yaml:"desc"`
	Cmd           any    `yaml:"cmd"`
	Wdir          string `yaml:"wdir"`
	Deps          []string
	Params        []string
	Outs          []any
	AlwaysChanged bool `yaml:"always_changed"`
}

func parseDVC(t *testing.T, data []byte) map[string]stage {
	t.Helper()
	var doc struct {
		Stages map[string]stage
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("dvc.yaml does not parse: %v\n%s", err, data)
	}
	return doc.Stages
}

// outPaths returns the paths of a stage's outs, whether written as strings
// or as one-key maps with flags.
func outPaths(outs []any) []string {
	var paths []string
	for _, o := range outs {
		switch x := o.(type) {
		case string:
			paths = append(paths, x)
		case map[string]any:
			for k := range x {
				paths = append(paths, k)
			}
		}
	}
	return paths
}

func TestStagesOfExample(t *testing.T) {
	files := generate(t, ragIngest())
	stages := parseDVC(t, files["dvc.yaml"])
	if len(stages) != 4 {
		t.Fatalf("want 4 stages, got %d", len(stages))
	}
	tests := []struct {
		step          string
		deps, outs    []string
		alwaysChanged bool
	}{
		{"read", []string{"corpus", "wurzel/steps/read.json"}, []string{"data/read/pages", "data/read/manifest.json"}, false},
		{"split", []string{"data/read/pages", "wurzel/steps/split.json"}, []string{"data/split/chunks", "data/split/manifest.json"}, false},
		{"embed", []string{"data/split/chunks", "wurzel/steps/embed.json"}, []string{"data/embed/vectors", "data/embed/manifest.json"}, false},
		{"index", []string{"data/embed/vectors", "data/split/manifest.json", "wurzel/steps/index.json"}, []string{"data/index/index", "data/index/manifest.json"}, false},
	}
	for _, tt := range tests {
		st := stages[tt.step]
		wantCmd := "wurzel step exec --spec wurzel/steps/" + tt.step + ".json"
		if tt.step == "embed" {
			wantCmd = "mkdir -p -- .wurzel/volumes/embed-cache && " + wantCmd
		}
		if st.Cmd != wantCmd {
			t.Errorf("%s: cmd = %q", tt.step, st.Cmd)
		}
		if strings.Join(st.Deps, " ") != strings.Join(tt.deps, " ") {
			t.Errorf("%s: deps = %q, want %q", tt.step, st.Deps, tt.deps)
		}
		if got := outPaths(st.Outs); strings.Join(got, " ") != strings.Join(tt.outs, " ") {
			t.Errorf("%s: outs = %q, want %q", tt.step, got, tt.outs)
		}
		if st.AlwaysChanged != tt.alwaysChanged {
			t.Errorf("%s: always_changed = %v", tt.step, st.AlwaysChanged)
		}
		if _, ok := files["wurzel/steps/"+tt.step+".json"]; !ok {
			t.Errorf("%s: no spec file", tt.step)
		}
	}
	if _, ok := files["params.yaml"]; ok {
		t.Errorf("params.yaml written although the pipeline does not ask for params")
	}
}

func TestSpecLocations(t *testing.T) {
	files := generate(t, ragIngest())
	read := func(name string) *spec.Step {
		t.Helper()
		s, err := spec.Parse(files["wurzel/steps/"+name+".json"])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	split := read("split")
	if split.Workdir != "" {
		t.Errorf("workdir = %q, want empty (a runner temp dir)", split.Workdir)
	}
	if split.Manifest != "data/split/manifest.json" || split.VolatileManifest {
		t.Errorf("manifest = %q, volatile %v; want it in the project, synced", split.Manifest, split.VolatileManifest)
	}
	if got := split.Outputs[0]; got.Location != "data/split/chunks" || got.Path != "out/chunks.jsonl" {
		t.Errorf("output = %+v", got)
	}
	if from := split.Inputs[0].From; from.Location != "data/read/pages" || from.Manifest != "data/read/manifest.json" {
		t.Errorf("input from = %+v", from)
	}
	if split.Env["SPLIT__TOKEN_COUNT_MAX"] != "64" {
		t.Errorf("settings missing from env: %v", split.Env)
	}
	index := read("index")
	if len(index.Secrets) != 1 || index.Secrets[0].Dir != "secrets/index-token" {
		t.Errorf("secrets = %+v", index.Secrets)
	}
	embed := read("embed")
	if len(embed.Volumes) != 1 || embed.Volumes[0].Path != ".wurzel/volumes/embed-cache" {
		t.Errorf("volumes = %+v", embed.Volumes)
	}
	if embed.TimeoutSeconds != 7200 {
		t.Errorf("timeout = %d", embed.TimeoutSeconds)
	}
	if r := read("read"); r.Inputs[0].Source != "./corpus" {
		t.Errorf("source = %q", r.Inputs[0].Source)
	}
}

func TestSecretFromEnv(t *testing.T) {
	p := ragIngest()
	p.Secrets[0].Local = &ir.LocalSecret{Env: map[string]string{"token": "INDEX_TOKEN"}}
	files := generate(t, p)
	s, err := spec.Parse(files["wurzel/steps/index.json"])
	if err != nil {
		t.Fatal(err)
	}
	if sec := s.Secrets[0]; sec.Dir != "" || sec.FromEnv["token"] != "INDEX_TOKEN" {
		t.Errorf("secret = %+v", sec)
	}
}

func TestDeterministic(t *testing.T) {
	p := ragIngest()
	setDVC(p, "params", true, ir.Range{})
	p.Steps[2].Env = map[string]string{"A": "1", "B": "2", "C": "3", "D": "4", "E": "5"}
	first := generate(t, p)
	for i := 0; i < 20; i++ {
		again := generate(t, ragIngestWith(func(q *ir.Pipeline) {
			setDVC(q, "params", true, ir.Range{})
			q.Steps[2].Env = map[string]string{"E": "5", "D": "4", "C": "3", "B": "2", "A": "1"}
		}))
		if len(again) != len(first) {
			t.Fatalf("run %d: %d files, want %d", i, len(again), len(first))
		}
		for path, data := range first {
			if !bytes.Equal(again[path], data) {
				t.Fatalf("run %d: %s differs:\n%s\n---\n%s", i, path, data, again[path])
			}
		}
	}
}

func ragIngestWith(edit func(*ir.Pipeline)) *ir.Pipeline {
	p := ragIngest()
	edit(p)
	return p
}

func TestAlwaysChanged(t *testing.T) {
	tests := []struct {
		source string
		always bool
		dep    string
	}{
		{"./corpus", false, "corpus"},
		{"file::./corpus/docs", false, "corpus/docs"},
		{"https://example.com/corpus.tar.gz", true, ""},
		{"https://example.com/corpus.tar.gz?checksum=sha256:00ff", false, ""},
		{"git::https://github.com/acme/seeds.git//lists?ref=v1.2", true, ""},
		{"git::https://github.com/acme/seeds.git//lists?ref=v1.2&checksum=sha256:ab", false, ""},
		{"git::https://github.com/acme/seeds.git//lists?ref=0123456789abcdef0123456789abcdef01234567", false, ""},
		{"github.com/acme/seeds?ref=0123456789abcdef0123456789abcdef01234567", false, ""},
		{"git::https://github.com/acme/seeds.git?ref=0123456", true, ""},
		{"s3::https://s3.amazonaws.com/bucket/key", true, ""},
		{"corpus", false, "corpus"},
		{"corpus/docs?archive=false", false, "corpus/docs"},
		{"github.com/acme/corpus", true, ""},
		{"bucket.s3.amazonaws.com/corpus.zip", true, ""},
		{"git@github.com:acme/corpus.git", true, ""},
		{"/srv/corpus", true, ""},
		{"file:///srv/corpus", true, ""},
		{"../corpus", true, ""},
		{"../corpus?checksum=sha256:ab", false, ""},
	}
	for _, tt := range tests {
		p := ragIngest()
		p.Steps[0].Inputs[0].Source = tt.source
		st := parseDVC(t, generate(t, p)["dvc.yaml"])["read"]
		if st.AlwaysChanged != tt.always {
			t.Errorf("%s: always_changed = %v, want %v", tt.source, st.AlwaysChanged, tt.always)
		}
		wantDeps := []string{"wurzel/steps/read.json"}
		if tt.dep != "" {
			wantDeps = append([]string{tt.dep}, wantDeps...)
		}
		if strings.Join(st.Deps, " ") != strings.Join(wantDeps, " ") {
			t.Errorf("%s: deps = %q, want %q", tt.source, st.Deps, wantDeps)
		}
	}
}

func TestWatchAndDataDir(t *testing.T) {
	p := ragIngest()
	setDVC(p, "data_dir", "./artifacts/", ir.Range{})
	p.Steps[1].Watch = []string{"steps/split.py", "config/split.toml"}
	files := generate(t, p)
	st := parseDVC(t, files["dvc.yaml"])["split"]
	want := []string{"artifacts/read/pages", "steps/split.py", "config/split.toml", "wurzel/steps/split.json"}
	if strings.Join(st.Deps, " ") != strings.Join(want, " ") {
		t.Errorf("deps = %q, want %q", st.Deps, want)
	}
	if got := outPaths(st.Outs); got[0] != "artifacts/split/chunks" {
		t.Errorf("outs = %q", got)
	}
	s, err := spec.Parse(files["wurzel/steps/split.json"])
	if err != nil {
		t.Fatal(err)
	}
	if s.Inputs[0].From.Location != "artifacts/read/pages" || s.Manifest != "artifacts/split/manifest.json" {
		t.Errorf("spec locations do not follow data_dir: %+v %s", s.Inputs[0].From, s.Manifest)
	}
}

func TestDuplicateDepsMerged(t *testing.T) {
	p := ragIngest()
	// Two inputs of one output: DVC's schema wants unique deps.
	p.Steps[1].Inputs = append(p.Steps[1].Inputs, ir.Input{Name: "again", Path: "inputs/again",
		From: &ir.OutputRef{Step: "read", Output: "pages"}})
	p.Steps[1].Watch = []string{"corpus", "corpus/"}
	st := parseDVC(t, generate(t, p)["dvc.yaml"])["split"]
	seen := map[string]bool{}
	for _, d := range st.Deps {
		if seen[d] {
			t.Errorf("dep %q listed twice: %q", d, st.Deps)
		}
		seen[d] = true
	}
}

func TestTemplateEscaped(t *testing.T) {
	p := ragIngest()
	p.Steps[0].Description = "costs ${price} and \\${kept}"
	p.Steps[0].Outputs[0].Type = "t${x}"
	data := generate(t, p)["dvc.yaml"]
	st := parseDVC(t, data)["read"]
	if st.Desc != `costs \${price} and \\${kept}` {
		t.Errorf("desc = %q", st.Desc)
	}
	if got := dvcUnescape(st.Desc); got != p.Steps[0].Description {
		t.Errorf("DVC would read desc as %q, want %q", got, p.Steps[0].Description)
	}
	if bytes.Contains(bytes.ReplaceAll(data, []byte(`\${`), nil), []byte("${")) {
		t.Errorf("unescaped ${ in dvc.yaml:\n%s", data)
	}
}

// dvcUnescape does what DVC's templating does to a string without
// substitutions: it turns "\${" into "${".
func dvcUnescape(s string) string { return strings.ReplaceAll(s, `\${`, "${") }

func TestParams(t *testing.T) {
	p := ragIngest()
	setDVC(p, "params", true, ir.Range{})
	p.Variables = append(p.Variables,
		ir.Variable{Name: "api_key", Sensitive: true},
		ir.Variable{Name: "flags", Value: map[string]any{"on": true, "mode": "yes", "perm": "0777"}},
		ir.Variable{Name: "ratio", Value: json.Number("1e3")},
		ir.Variable{Name: "tiny", Value: json.Number("2.5e-7")},
		ir.Variable{Name: "names", Value: []any{"a", json.Number("1"), nil, false}},
	)
	p.Steps[1].Variables = []string{"chunk_tokens"}
	p.Steps[0].Variables = []string{}
	markRuntime(p)
	files := generate(t, p)
	params := files["params.yaml"]
	if params == nil {
		t.Fatal("no params.yaml")
	}
	if bytes.Contains(params, []byte("api_key")) {
		t.Errorf("a sensitive variable reached params.yaml:\n%s", params)
	}
	var got map[string]any
	if err := yaml.Unmarshal(params, &got); err != nil {
		t.Fatal(err)
	}
	if got["chunk_tokens"] != 64 || got["ratio"] != 1000.0 || got["tiny"] != 2.5e-7 {
		t.Errorf("params = %v", got)
	}
	stages := parseDVC(t, files["dvc.yaml"])
	if ps := stages["split"].Params; strings.Join(ps, " ") != "chunk_tokens" {
		t.Errorf("split params = %q, want the variables it uses", ps)
	}
	if ps := stages["read"].Params; len(ps) != 0 {
		t.Errorf("read params = %q, want none", ps)
	}
	if ps := stages["embed"].Params; strings.Join(ps, " ") != "chunk_tokens embedding_dim flags names ratio tiny" {
		t.Errorf("embed params = %q, want every non-sensitive variable (unknown use)", ps)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"wurzel/steps/a.json": "wurzel/steps/a.json",
		"my dir":              "'my dir'",
		"it's":                `'it'\''s'`,
		"-rf":                 "'-rf'",
		"$HOME":               "'$HOME'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOutputDir(t *testing.T) {
	root := t.TempDir()
	p := ragIngest()
	setDVC(p, "params", true, ir.Range{})
	markRuntime(p)
	p.Dir = filepath.Join(root, "pipelines", "rag")

	files, err := New().Generate(p, backend.GenerateOptions{OutputDir: root})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	want := "dvc.yaml pipelines/rag/params.yaml pipelines/rag/wurzel/steps/read.json pipelines/rag/wurzel/steps/split.json pipelines/rag/wurzel/steps/embed.json pipelines/rag/wurzel/steps/index.json"
	if strings.Join(paths, " ") != want {
		t.Errorf("files = %q, want %q", paths, want)
	}
	st := parseDVC(t, files[0].Data)["split"]
	if st.Wdir != "pipelines/rag" || st.Deps[0] != "data/read/pages" {
		t.Errorf("wdir = %q, deps = %q: want paths relative to the pipeline directory", st.Wdir, st.Deps)
	}
	if bytes.Contains(files[0].Data, []byte(root)) {
		t.Errorf("dvc.yaml holds the machine's path %s", root)
	}

	same, err := New().Generate(p, backend.GenerateOptions{OutputDir: p.Dir})
	if err != nil {
		t.Fatal(err)
	}
	if parseDVC(t, same[0].Data)["split"].Wdir != "" || same[1].Path != "params.yaml" {
		t.Errorf("output in the pipeline directory should need no wdir")
	}

	if _, err := New().Generate(p, backend.GenerateOptions{OutputDir: filepath.Join(root, "elsewhere")}); err == nil {
		t.Errorf("an output directory beside the pipeline directory was accepted")
	}
}

func TestOutputDirThroughSymlink(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	if err := os.MkdirAll(filepath.Join(real, "pipe"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(root, "link")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	p := ragIngest()
	p.Dir = filepath.Join(real, "pipe")
	files, err := New().Generate(p, backend.GenerateOptions{OutputDir: filepath.Join(root, "link")})
	if err != nil {
		t.Fatal(err)
	}
	if st := parseDVC(t, files[0].Data)["read"]; st.Wdir != "pipe" {
		t.Errorf("wdir = %q, want pipe", st.Wdir)
	}
}

// TestVolumeDirStartingWithDash runs the command a stage creates its scratch
// volume with: a directory named like an option is created, not read as
// one.
func TestVolumeDirStartingWithDash(t *testing.T) {
	p := ragIngest()
	p.Volumes[0].LocalDir = "-v"
	stages := parseDVC(t, generate(t, p)["dvc.yaml"])
	stageCmd, _ := stages["embed"].Cmd.(string)
	mkdir, _, ok := strings.Cut(stageCmd, " && wurzel step exec")
	if !ok {
		t.Fatalf("embed: cmd = %q", stages["embed"].Cmd)
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", mkdir)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", mkdir, err, out)
	}
	if fi, err := os.Stat(filepath.Join(dir, "-v")); err != nil || !fi.IsDir() {
		t.Fatalf("%s did not create the directory -v: %v", mkdir, err)
	}
}
