package local

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// parseManifest decodes a manifest with the runner's own parser and checks
// that it is the one of step in run runID.
func parseManifest(data []byte, step, runID string) (*manifest.Manifest, error) {
	m, err := manifest.Parse(data)
	if err != nil {
		return nil, err
	}
	if m.Step != step {
		return nil, fmt.Errorf("manifest belongs to step %q, not %q", m.Step, step)
	}
	if runID != "" && m.RunID != runID {
		return nil, fmt.Errorf("manifest belongs to run %q, not %q", m.RunID, runID)
	}
	return m, nil
}

// outputDigest is the content digest of an output: the same files with the
// same content give the same digest, wherever they are stored and whatever
// run produced them.
func outputDigest(o *manifest.Output) string {
	files := append([]manifest.File(nil), o.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	h := sha256.New()
	fmt.Fprintf(h, "kind %s\n", o.Kind)
	for _, f := range files {
		fmt.Fprintf(h, "%q %d %s\n", f.Path, f.Size, f.SHA256)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
