package checkcache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
)

// BenchmarkLoad1000 loads a pipeline of 1,000 steps through the front end
// (check) and from its cache entry (hit), in the same process.
func BenchmarkLoad1000(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(treePipeline(1000)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			if res := driver.Check(dir, lang.Options{}); res.Pipeline == nil {
				b.Fatal(res.Diagnostics)
			}
		}
	})
	b.Run("hit", func(b *testing.B) {
		// The first load stores the entry (with -count, an earlier round
		// already has).
		Load(dir, lang.Options{}, Options{Dir: filepath.Join(dir, "cache"), Write: true})
		for b.Loop() {
			if _, hit := Load(dir, lang.Options{}, Options{Dir: filepath.Join(dir, "cache"), Write: true}); !hit {
				b.Fatal("missed")
			}
		}
	})
}
