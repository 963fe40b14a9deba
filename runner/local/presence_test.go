package local

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPresenceAhead: the look-ahead answers, for each record it was given,
// whether its manifest and outputs are in the store, and nothing about
// records it was not given.
func TestPresenceAhead(t *testing.T) {
	dir := t.TempDir()
	touch := func(rel string) {
		t.Helper()
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	touch("runs/r/a/manifest.json")
	touch("runs/r/a/out/x")
	touch("runs/r/b/manifest.json") // b's output is gone
	touch("runs/r/c/out/x")         // c's manifest is gone
	rec := func(step string) *LockStep {
		return &LockStep{Manifest: "runs/r/" + step + "/manifest.json", Outputs: map[string]LockOutput{"out": {Location: "runs/r/" + step + "/out"}}}
	}
	a, b, c := rec("a"), rec("b"), rec("c")
	e := &executor{pipelineDir: dir}
	ahead := e.lookAhead([]*LockStep{a, nil, b, c})
	<-ahead.done // looked at every record
	for _, tc := range []struct {
		name string
		rec  *LockStep
		want bool
	}{{"a", a, true}, {"b", b, false}, {"c", c, false}} {
		if found, ok := ahead.lookup(tc.rec); !ok || found != tc.want {
			t.Errorf("lookup(%s) = %v, %v; want %v, true", tc.name, found, ok, tc.want)
		}
	}
	if _, ok := ahead.lookup(rec("a")); ok {
		t.Error("a record the look-ahead was not given has an answer")
	}
	ahead.close()
	var none *presenceAhead
	if _, ok := none.lookup(a); ok {
		t.Error("no look-ahead answered")
	}
	none.close()
}
