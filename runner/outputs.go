package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// publishOutputs checks that every declared output exists, publishes it to
// its location and returns the manifest describing what was published. The
// previous manifest goes first, so that a crash half-way leaves no commit
// marker pointing at a mix of old and new files.
func (r *run) publishOutputs(ctx context.Context) (*manifest.Manifest, error) {
	m := &manifest.Manifest{
		Version:  manifest.Version,
		Pipeline: r.spec.Pipeline,
		Step:     r.spec.Step,
		RunID:    r.opts.RunID,
		Outputs:  []manifest.Output{},
	}
	described := make([]manifest.Output, len(r.spec.Outputs))
	for i, o := range r.spec.Outputs {
		d, err := r.describeOutput(o)
		if err != nil {
			return nil, err
		}
		described[i] = d
	}
	if err := r.remove(ctx, r.spec.Manifest); err != nil {
		return nil, wrapFail(storageCode(err, CodeOutput), fmt.Errorf("removing the previous manifest at %s: %w", r.spec.Manifest, err))
	}
	for i, o := range r.spec.Outputs {
		start := r.opts.Now()
		if err := r.publish(ctx, o, described[i]); err != nil {
			return nil, wrapFail(storageCode(err, CodeOutput), fmt.Errorf("output %q: publishing to %s: %w", o.Name, o.Location, err))
		}
		var size int64
		for _, f := range described[i].Files {
			size += f.Size
		}
		r.log.Info("output published", "output", o.Name, "location", o.Location, "files", len(described[i].Files),
			"bytes", size, "duration", r.opts.Now().Sub(start).String())
		m.Outputs = append(m.Outputs, described[i])
	}
	return m, nil
}

func (r *run) describeOutput(o spec.Output) (manifest.Output, error) {
	path := r.inWork(o.Path)
	kind, files, err := manifest.Describe(path)
	if errors.Is(err, os.ErrNotExist) {
		return manifest.Output{}, fail(CodeOutput, "output %q: the command did not create %s", o.Name, o.Path)
	}
	if err != nil {
		return manifest.Output{}, fail(CodeOutput, "output %q: %v", o.Name, err)
	}
	if kind != o.Kind {
		return manifest.Output{}, fail(CodeOutput, "output %q is declared a %s but the command created a %s at %s; declare it with kind = %q%s",
			o.Name, kindWord(o.Kind), kindWord(kind), o.Path, kind, slashHint(kind))
	}
	if files == nil {
		files = []manifest.File{}
	}
	return manifest.Output{Name: o.Name, Path: o.Path, Type: o.Type, Kind: kind, Files: files}, nil
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

func (r *run) publish(ctx context.Context, o spec.Output, d manifest.Output) error {
	src := r.inWork(o.Path)
	switch {
	case o.Location == "":
		return nil
	case isS3(o.Location):
		u, err := parseS3(o.Location)
		if err != nil {
			return err
		}
		if d.Kind == manifest.KindFile {
			return r.upload(ctx, src, u)
		}
		for _, f := range d.Files {
			if err := r.upload(ctx, filepath.Join(src, filepath.FromSlash(f.Path)), u.child(f.Path)); err != nil {
				return fmt.Errorf("file %q: %w", f.Path, err)
			}
		}
		return nil
	default:
		return publishLocal(src, r.abs(o.Location), d)
	}
}

// publishLocal copies an output to dst: into a temporary sibling first,
// every file synced, then renamed into place, so that dst never holds a
// partial copy.
func publishLocal(src, dst string, d manifest.Output) error {
	if d.Kind == manifest.KindFile {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := os.Lstat(dst); err == nil && fi.IsDir() {
			if err := os.RemoveAll(dst); err != nil {
				return err
			}
		}
		return writeFileAtomic(dst, f, true)
	}
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(parent, "."+filepath.Base(dst)+".tmp-"+randomSuffix())
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range d.Files {
		if err := copySynced(filepath.Join(src, filepath.FromSlash(f.Path)), filepath.Join(tmp, filepath.FromSlash(f.Path))); err != nil {
			return fmt.Errorf("file %q: %w", f.Path, err)
		}
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return atomicfile.SyncDir(parent)
}

func copySynced(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeManifest writes the manifest last: it is the step's commit marker.
func (r *run) writeManifest(ctx context.Context, m *manifest.Manifest) error {
	data, err := manifest.Marshal(m)
	if err != nil {
		return err
	}
	if err := r.writeSmall(ctx, r.spec.Manifest, data); err != nil {
		return wrapFail(storageCode(err, CodeOutput), fmt.Errorf("writing the manifest to %s: %w", r.spec.Manifest, err))
	}
	r.log.Info("manifest written", "manifest", r.spec.Manifest, "outputs", len(m.Outputs))
	return nil
}
