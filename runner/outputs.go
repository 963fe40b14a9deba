package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// publishOutputs checks that every declared output exists, publishes it to
// its location and returns the manifest describing what was published. The
// previous manifest goes first, so that a crash half-way leaves no commit
// marker pointing at a mix of old and new files; a step without outputs
// changes nothing it describes, and the new manifest replaces it in one
// step. Each file is read once: hashed while it is copied or uploaded, or
// after it was moved.
func (r *run) publishOutputs(ctx context.Context) (*manifest.Manifest, error) {
	m := &manifest.Manifest{
		Version:  manifest.Version,
		Pipeline: r.spec.Pipeline,
		Step:     r.spec.Step,
		RunID:    r.opts.RunID,
		Outputs:  []manifest.Output{},
	}
	outs := make([]*output, len(r.spec.Outputs))
	for i, o := range r.spec.Outputs {
		out, err := r.listOutput(o)
		if err != nil {
			return nil, err
		}
		outs[i] = out
	}
	keepOverlapsInPlace(outs)
	if len(outs) == 0 {
		return m, nil
	}
	if err := r.remove(ctx, r.spec.Manifest); err != nil {
		return nil, wrapFail(storageCode(err, CodeOutput), fmt.Errorf("removing the previous manifest at %s: %w", r.spec.Manifest, err))
	}
	for _, out := range outs {
		o := out.spec
		start := r.opts.Now()
		files, err := r.publish(ctx, out)
		if err != nil {
			return nil, wrapFail(storageCode(err, CodeOutput), fmt.Errorf("output %q: publishing to %s: %w", o.Name, o.Location, err))
		}
		var size int64
		for _, f := range files {
			size += f.Size
		}
		r.log.Info("output published", "output", o.Name, "location", o.Location, "files", len(files),
			"bytes", size, "duration", r.opts.Now().Sub(start).String())
		m.Outputs = append(m.Outputs, manifest.Output{Name: o.Name, Path: o.Path, Type: o.Type, Kind: out.kind, Files: files})
	}
	return m, nil
}

// output is a declared output as the command left it: what it holds, not
// yet read.
type output struct {
	spec spec.Output
	// path is where it is in the work directory.
	path string
	kind string
	// files are the paths of its files relative to path, slash-separated
	// and sorted; "." for a file output.
	files []string
	// movable is true when the output may be moved to a local location
	// rather than copied: each of its files has no other link (a name
	// elsewhere that could change it afterwards) and lies on the output's
	// own file system (no mount point inside).
	movable bool
}

// listOutput finds what the output holds, refusing symbolic links and
// special files, which the manifest cannot describe.
func (r *run) listOutput(o spec.Output) (*output, error) {
	out := &output{spec: o, path: r.inWork(o.Path)}
	fi, err := os.Lstat(out.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fail(CodeOutput, "output %q: the command did not create %s", o.Name, o.Path)
	}
	if err != nil {
		return nil, fail(CodeOutput, "output %q: %v", o.Name, err)
	}
	switch {
	case fi.Mode().IsRegular():
		out.kind, out.files, out.movable = manifest.KindFile, []string{"."}, singleLink(fi)
	case fi.IsDir():
		out.kind, out.movable = manifest.KindDir, true
		dev := deviceOf(fi)
		err = manifest.WalkFiles(out.path, func(rel, abs string) error {
			out.files = append(out.files, rel)
			if out.movable {
				fi, err := os.Lstat(abs)
				out.movable = err == nil && singleLink(fi) && deviceOf(fi) == dev
			}
			return nil
		})
	case fi.Mode()&fs.ModeSymlink != 0:
		err = &manifest.SymlinkError{Path: out.path}
	default:
		err = fmt.Errorf("%s is not a regular file or directory", out.path)
	}
	if err != nil {
		return nil, fail(CodeOutput, "output %q: %v", o.Name, err)
	}
	if out.kind != o.Kind {
		return nil, fail(CodeOutput, "output %q is declared a %s but the command created a %s at %s; declare it with kind = %q%s",
			o.Name, kindWord(o.Kind), kindWord(out.kind), o.Path, out.kind, slashHint(out.kind))
	}
	if out.files == nil {
		out.files = []string{}
	}
	return out, nil
}

func kindWord(kind string) string {
	if kind == manifest.KindDir {
		return "directory"
	}
	return "file"
}

// slashHint names the other way to declare a directory.
func slashHint(kind string) string {
	if kind == manifest.KindDir {
		return " (or a path ending in \"/\")"
	}
	return ""
}

// keepOverlapsInPlace keeps outputs that hold one another from being
// moved: moving the outer one would take the inner one along.
func keepOverlapsInPlace(outs []*output) {
	for i, a := range outs {
		for _, b := range outs[i+1:] {
			if within(a.spec.Path, b.spec.Path) || within(b.spec.Path, a.spec.Path) {
				a.movable, b.movable = false, false
			}
		}
	}
}

// within reports whether the clean relative path p is dir or under it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// publish puts the output at its location and returns its files, hashed.
func (r *run) publish(ctx context.Context, out *output) ([]manifest.File, error) {
	switch loc := out.spec.Location; {
	case loc == "":
		return hashFiles(out.path, out.files)
	case isS3(loc):
		return r.remote.Upload(ctx, loc, out.path, out.kind, out.files)
	default:
		return publishLocal(out, r.abs(loc))
	}
}

// hashFiles hashes the files of the output at root.
func hashFiles(root string, rels []string) ([]manifest.File, error) {
	files := make([]manifest.File, len(rels))
	err := datapath.EachFile(len(rels), func(i int) error {
		f, err := manifest.HashFile(filepath.Join(root, filepath.FromSlash(rels[i])))
		f.Path = rels[i]
		files[i] = f
		return datapath.InFile(rels[i], err)
	})
	return files, err
}

// writeManifest writes the manifest last: it is the step's commit marker.
func (r *run) writeManifest(ctx context.Context, m *manifest.Manifest) error {
	data, err := manifest.Marshal(m)
	if err != nil {
		return err
	}
	// Unsynced, a local manifest is still renamed into place whole: a
	// reader never sees a part of it, and only a crash of the machine can
	// lose it, until the caller syncs it (DeferManifestSync) or for good,
	// when it would not outlive the machine anyway (VolatileManifest).
	if (r.opts.DeferManifestSync || r.spec.VolatileManifest) && !isS3(r.spec.Manifest) {
		path := r.abs(r.spec.Manifest)
		if err = os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			err = atomicfile.WriteFileUnsynced(path, data, 0o644)
		}
	} else {
		err = r.writeSmall(ctx, r.spec.Manifest, data)
	}
	if err != nil {
		return wrapFail(storageCode(err, CodeOutput), fmt.Errorf("writing the manifest to %s: %w", r.spec.Manifest, err))
	}
	r.log.Info("manifest written", "manifest", r.spec.Manifest, "outputs", len(m.Outputs))
	return nil
}
