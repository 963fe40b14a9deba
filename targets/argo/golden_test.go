package argo_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/targets/argo"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// generate lowers a hand-built pipeline after checking that the target has
// nothing to say against it.
func generate(t testing.TB, c fixtures.Case) []byte {
	t.Helper()
	target := argo.New()
	for _, d := range target.Check(c.Pipeline) {
		if d.Severity == 0 {
			t.Fatalf("%s: unexpected error diagnostic: %s: %s", c.Name, d.Summary, d.Detail)
		}
	}
	files, err := target.Generate(c.Pipeline, backend.GenerateOptions{Version: "v0.1.0"})
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	if len(files) != 1 {
		t.Fatalf("%s: got %d files, want 1", c.Name, len(files))
	}
	return files[0].Data
}

func TestGolden(t *testing.T) {
	for _, c := range fixtures.All() {
		t.Run(c.Name, func(t *testing.T) {
			got := generate(t, c)
			golden := filepath.Join("testdata", c.Name+".yaml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update if the change is intended):\n%s", golden, diff.Diff("want", want, "got", got))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, c := range fixtures.All() {
		first := generate(t, c)
		for i := 0; i < 5; i++ {
			if again := generate(t, c); !bytes.Equal(first, again) {
				t.Fatalf("%s: two generations differ:\n%s", c.Name, diff.Diff("first", first, "again", again))
			}
		}
	}
}
