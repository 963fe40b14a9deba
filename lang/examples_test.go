package lang

import (
	"os"
	"path/filepath"
	"testing"
)

// TestExamples loads every pipeline under examples/: each must load without
// errors and without warnings.
func TestExamples(t *testing.T) {
	entries, err := os.ReadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		dir := filepath.Join("../examples", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			res := Load(dir, Options{Schema: language})
			if len(res.Diagnostics) > 0 {
				t.Fatalf("diagnostics:\n%s", dump(res.Diagnostics))
			}
			if res.Pipeline == nil || len(res.Pipeline.Steps) == 0 {
				t.Fatalf("no IR")
			}
		})
	}
	if n == 0 {
		t.Fatal("no examples")
	}
}
