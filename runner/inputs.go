package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/runner/internal/datapath"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// fetchInputs brings every input to its path in the work directory and
// tells the command where it is.
func (r *run) fetchInputs(ctx context.Context) error {
	for i := range r.spec.Inputs {
		in := &r.spec.Inputs[i]
		dst := r.inWork(in.Path)
		start := r.opts.Now()
		var err error
		switch {
		case in.From != nil:
			err = r.fetchFrom(ctx, in.Name, in.From, dst)
		case in.FanIn != nil:
			err = r.fetchFanIn(ctx, in, dst)
		default:
			err = r.fetchSource(ctx, in, dst)
		}
		if err != nil {
			return err
		}
		r.cmdEnv["WURZEL_INPUT_"+envName(in.Name)] = dst
		r.log.Info("input ready", "input", in.Name, "path", dst, "duration", r.opts.Now().Sub(start).String())
	}
	return nil
}

// fetchFanIn takes the output of every instance of a step with for_each:
// the output of the instance with key K goes to dst/K, each verified
// against its producer's manifest.
func (r *run) fetchFanIn(ctx context.Context, in *spec.Input, dst string) error {
	located := false
	for _, inst := range in.FanIn {
		located = located || inst.Location != ""
	}
	if located {
		if err := os.RemoveAll(dst); err != nil {
			return fail(CodeInput, "input %q: clearing %s: %v", in.Name, dst, err)
		}
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return fail(CodeInput, "input %q: %v", in.Name, err)
	}
	for i := range in.FanIn {
		inst := &in.FanIn[i]
		if err := r.fetchFrom(ctx, in.Name, &inst.Ref, filepath.Join(dst, inst.Key)); err != nil {
			return err
		}
	}
	return nil
}

// fetchFrom takes an input produced by another step. The producer's
// manifest must exist and list the output; every file is checked against
// it, so a half-published or tampered output is refused.
func (r *run) fetchFrom(ctx context.Context, name string, ref *spec.Ref, dst string) error {
	out, err := r.producerOutput(ctx, name, ref)
	if err != nil {
		return err
	}
	if ref.Location != "" {
		// The input is exactly what the manifest lists: nothing stale from
		// an earlier attempt in a reused work directory.
		if err := os.RemoveAll(dst); err != nil {
			return fail(CodeInput, "input %q: clearing %s: %v", name, dst, err)
		}
	}
	if out.Kind == manifest.KindDir {
		// A back end that moves data itself places nothing for an empty
		// directory (an object store has no empty directories): the
		// manifest says it exists.
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return fail(CodeInput, "input %q: %v", name, err)
		}
	}
	for _, f := range out.Files {
		target := dst
		if out.Kind == manifest.KindDir {
			target = filepath.Join(dst, filepath.FromSlash(f.Path))
		}
		if err := r.fetchFromFile(ctx, ref, out.Kind, f, target); err != nil {
			return wrapFail(storageCode(err, CodeInput), fmt.Errorf("input %q: file %q of output %q of step %q: %w", name, f.Path, ref.Output, ref.Step, err))
		}
	}
	if ref.Location == "" && out.Kind == manifest.KindDir {
		// What the back end placed may hold more than the manifest lists:
		// files a failed attempt of the producer left under the same keys.
		// The command sees exactly the committed output.
		removed, err := removeUnlisted(dst, out.Files)
		if err != nil {
			return fail(CodeInput, "input %q: removing files its manifest does not list: %v", name, err)
		}
		if len(removed) > 0 {
			r.log.Warn("input files not in the manifest removed", "input", name, "files", len(removed), "first", removed[0])
		}
	}
	return nil
}

// removeUnlisted deletes everything under root that is neither a listed
// file nor a directory holding one, and returns what it removed (relative,
// slash-separated, sorted).
func removeUnlisted(root string, files []manifest.File) ([]string, error) {
	keep := map[string]bool{".": true}
	for _, f := range files {
		for p := f.Path; p != "." && !keep[p]; p = path.Dir(p) {
			keep[p] = true
		}
	}
	var removed []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if keep[rel] {
			return nil
		}
		removed = append(removed, rel)
		if err := os.RemoveAll(p); err != nil {
			return err
		}
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	return removed, err
}

func (r *run) producerOutput(ctx context.Context, name string, ref *spec.Ref) (*manifest.Output, error) {
	data, err := r.readSmall(ctx, ref.Manifest)
	if errors.Is(err, errNotFound) {
		return nil, fail(CodeInput, "input %q: step %q has no manifest at %s; its outputs are not committed", name, ref.Step, ref.Manifest)
	}
	if err != nil {
		return nil, wrapFail(storageCode(err, CodeInput), fmt.Errorf("input %q: reading the manifest of step %q at %s: %w", name, ref.Step, ref.Manifest, err))
	}
	m, err := manifest.Parse(data)
	if err != nil {
		return nil, fail(CodeInput, "input %q: manifest of step %q at %s: %v", name, ref.Step, ref.Manifest, err)
	}
	if m.Step != ref.Step {
		return nil, fail(CodeInput, "input %q: manifest at %s belongs to step %q, not %q", name, ref.Manifest, m.Step, ref.Step)
	}
	out := m.Output(ref.Output)
	if out == nil {
		return nil, fail(CodeInput, "input %q: manifest of step %q at %s does not list output %q", name, ref.Step, ref.Manifest, ref.Output)
	}
	return out, nil
}

// fetchFromFile places one file of a producer's output at target and
// verifies it.
func (r *run) fetchFromFile(ctx context.Context, ref *spec.Ref, kind string, f manifest.File, target string) error {
	switch {
	case ref.Location == "":
		// The back end put the data in place; verify it where it is.
		got, err := manifest.HashFile(target)
		if err != nil {
			return fmt.Errorf("%s: %s", target, describeFSError(err))
		}
		return datapath.CheckFile(got.Size, got.SHA256, f)
	case isS3(ref.Location):
		rel := ""
		if kind == manifest.KindDir {
			rel = f.Path
		}
		return r.remote.Download(ctx, ref.Location, rel, target, f)
	default:
		src := r.abs(ref.Location)
		if kind == manifest.KindDir {
			src = filepath.Join(src, filepath.FromSlash(f.Path))
		}
		file, err := regularfile.Open(src)
		if err != nil {
			return fmt.Errorf("%s: %s", src, describeFSError(err))
		}
		defer file.Close()
		return copyVerified(target, file, f)
	}
}
