package runner

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
)

// TestSourceFromGCS fetches `gcs::` sources, a file and a directory, from a
// real GCS emulator under the default policy (gcs is allowed by default),
// through go-getter's GCS getter in the fetch helper.
func TestSourceFromGCS(t *testing.T) {
	gcs := gwtest.StartGCS(t, map[string]string{
		"corpus/docs/a.md":     "# a\n",
		"corpus/docs/sub/b.md": "# b\n",
		"corpus/table.csv":     "id\n3\n",
	})
	dir := t.TempDir()
	env := append([]string{"PATH=" + os.Getenv("PATH"), FetchHelperEnv + "=" + testFetchHelper(t)}, gcs.Environ()...)
	base := "gcs::https://www.googleapis.com/storage/v1/corpus/"

	wantCode(t, execSpec(t, sourceSpec(dir, base+"table.csv", "table.csv"), withEnv(env...)), 0)
	if got := readFile(t, filepath.Join(dir, "work", "table.csv")); got != "id\n3\n" {
		t.Errorf("file source: fetched %q", got)
	}
	wantCode(t, execSpec(t, sourceSpec(dir, base+"docs", "docs"), withEnv(env...)), 0)
	for file, want := range map[string]string{"a.md": "# a\n", "sub/b.md": "# b\n"} {
		if got := readFile(t, filepath.Join(dir, "work", "docs", file)); got != want {
			t.Errorf("directory source: %s = %q", file, got)
		}
	}
	wantCode(t, execSpec(t, sourceSpec(dir, base+"missing.csv", "missing.csv"), withEnv(env...)), CodeInput, "doesn't exist")
}
