package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/internal/testcase"
)

// Case is one pipeline the harness runs on Argo.
type Case struct {
	testcase.Case
	// LocalFailure says why the pipeline fails under wurzel run too, by
	// design. Argo must fail the way wurzel run does.
	LocalFailure string
	// Defect names the runtime-fidelity defect that makes the case fail
	// today, and Signature is text its failure shows. The case is an
	// expected failure: it fails the test only when it fails otherwise, or
	// passes (then it must leave the list).
	Defect, Signature string
	// Check replaces the comparison with wurzel run, for what only Argo
	// does (retries) or what wurzel run cannot show (a cluster without an
	// artifact repository, a Secret or an image).
	Check func(t testing.TB, r *ArgoRun)
	// Stuck says the workflow is expected never to finish (pods that
	// cannot start); the harness stops once it has seen the pods settle.
	Stuck bool
	// Timeout bounds the run on Argo when shorter than the default.
	Timeout time.Duration
	// NoArtifactRepository runs without any artifact repository.
	NoArtifactRepository bool
	// AbsentSecrets are Kubernetes Secrets the harness does not create.
	AbsentSecrets []string
	// Submit are parameters given when the workflow is submitted
	// (name=value, as `argo submit -p`): the pipeline is generated without
	// them, and wurzel run, the reference, gets them as --var.
	Submit []string
}

// localFailures are the cases that fail under wurzel run too, by design:
// Argo must fail them the way wurzel run does. Every example and valid test
// pipeline of the repository runs; only the harness's own cases are here.
var localFailures = map[string]string{
	"e2e/defect_timeout.txtar": "its command outlives its timeout: the runner ends it with exit code 124",
}

// submitted are the cases run with parameters given at submit time.
var submitted = map[string][]string{
	"e2e/runtime_params.txtar": {"n=1e3", "word=from argo submit -p"},
}

// sourceVars point the pipelines' sources at the source server: a local
// path does not exist in a pod, and the internet is not reachable.
// $SOURCES is the server's https://127.0.0.1:PORT.
var sourceVars = map[string][]string{
	"examples/rag-ingest":  {"corpus=$SOURCES/rag-ingest-corpus.tar.gz"},
	"examples/word-count":  {"texts=$SOURCES/word-count-text.tar.gz"},
	"examples/grid-search": {"points=$SOURCES/grid-search-points.tar.gz"},
	// A real git repository, cloned over HTTPS (git's dumb HTTP protocol),
	// at a tag, a subdirectory of it.
	"testdata/valid/issue_example.txtar": {"seeds=git::$SOURCES/seeds.git//lists?ref=v1.2"},
	// The pipeline allows the hosts it names: the server's is one of them.
	"testdata/valid/argo_dvc.txtar": {"data=$SOURCES/argo-dvc-data.txt", "data_host=127.0.0.1"},
}

// expectedFailures are the cases that fail because of a known defect of
// the generated workflows (the runtime-fidelity list of
// docs/targets/argo.md). Each names the defect and what its failure shows.
// A fix makes its case pass, and the test then asks for the entry to go.
var expectedFailures = map[string]struct{ defect, signature string }{}

// Cases lists every case: the repository's examples and valid test
// pipelines, and the harness's own (testdata/ of this module, prefixed
// "e2e/"), sorted by name. root is the repository.
func Cases(t testing.TB, root, own string) []*Case {
	t.Helper()
	var cases []*Case
	for _, c := range testcase.Repository(t, root) {
		cases = append(cases, &Case{Case: c})
	}
	archives, _ := filepath.Glob(filepath.Join(own, "*.txtar"))
	for _, a := range archives {
		c := testcase.Extract(t, a)
		c.Name = "e2e/" + filepath.Base(a)
		cases = append(cases, &Case{Case: c})
	}
	cases = append(cases, largeSpecCase(t))
	for _, c := range cases {
		c.Vars = append(c.Vars, sourceVars[c.Name]...)
		c.Submit = submitted[c.Name]
		c.LocalFailure = localFailures[c.Name]
		if f, ok := expectedFailures[c.Name]; ok {
			c.Defect, c.Signature = f.defect, f.signature
		}
		if check, ok := checks[c.Name]; ok {
			check(c)
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases
}

// largeSpecCase has a step whose command embeds a 105 KB script of quotes:
// the script is under Linux's 128 KiB limit for one argument, but its step
// spec, JSON-escaped, is over the limit for one environment variable.
func largeSpecCase(t testing.TB) *Case {
	dir := t.TempDir()
	var b strings.Builder
	for b.Len() < 105_000 {
		b.WriteString(`# "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" "" ""` + "\n")
	}
	b.WriteString("mkdir -p out && echo ok > out/ok.txt\n")
	pipeline := `pipeline "large-spec" {
  image = "debian:12"
}

step "big" {
  command = ["sh", "-c", file("big.sh")]
  output "ok" {
    path = "out/ok.txt"
  }
}
`
	for name, data := range map[string]string{"pipeline.wurzel.hcl": pipeline, "big.sh": b.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &Case{Case: testcase.Case{Name: "e2e/defect_large_spec", Dir: dir}}
}

// expand replaces $SOURCES in the case's variables.
func (c *Case) expand(sources string) []string {
	out := make([]string, len(c.Vars))
	for i, v := range c.Vars {
		out[i] = strings.ReplaceAll(v, "$SOURCES", sources)
	}
	return out
}

// String names the case.
func (c *Case) String() string { return fmt.Sprintf("case %s", c.Name) }
