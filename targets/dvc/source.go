package dvc

import (
	"path/filepath"

	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
)

// sourceKind says what DVC can know about a go-getter `source` input.
type sourceKind int

const (
	// remoteUnpinned: fetched from elsewhere with no pin; DVC cannot see
	// a change, so the stage must always run.
	remoteUnpinned sourceKind = iota
	// remotePinned: fetched with a ?checksum= or a git ?ref= naming a full
	// commit id; either is in the step spec, which is a dep, so a new one
	// re-runs the stage.
	remotePinned
	// localInside: a path inside the project, which DVC hashes as a dep.
	localInside
	// localOutside: a local path outside the project (absolute, or climbing
	// out with ".."), which DVC cannot track; without a checksum the stage
	// must always run.
	localOutside
)

// classifySource sorts a go-getter address the way the runner's fetch
// helper reads it, with relative paths resolved against dir, the pipeline
// directory. For local paths it also returns the path, relative to dir
// unless it leaves it, in slash form.
func classifySource(src, dir string) (sourceKind, string) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		dir = string(filepath.Separator)
	}
	// An address that does not parse is the runner's to report: DVC can
	// only run the stage every time.
	addr, err := sourceaddr.Parse(src, dir)
	if err != nil || !addr.Local {
		if addr.Pin() != "" {
			return remotePinned, ""
		}
		return remoteUnpinned, ""
	}
	p := addr.Path
	if rel, err := filepath.Rel(dir, p); err == nil {
		p = rel
	}
	p = filepath.ToSlash(p)
	if projectPathProblem(p) != "" {
		if addr.Checksum() != "" {
			return remotePinned, p
		}
		return localOutside, p
	}
	return localInside, p
}
