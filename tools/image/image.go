package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// binaries are the files of the image, each at /<name>, from each
// platform's directory.
var binaries = []string{"wurzel", "wurzel-fetch", "wurzel-step"}

// user is distroless's "nonroot", the user the Argo target runs pods as.
const user = "65532:65532"

// refNameAnnotation names the image in index.json; podman load, docker load
// and skopeo's oci-archive transport read it.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// Platform is one platform's binaries: Dir holds a file per name in
// binaries.
type Platform struct {
	OS, Arch, Variant string
	Dir               string
}

func (p Platform) String() string {
	s := p.OS + "/" + p.Arch
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Options say what to build.
type Options struct {
	// Ref is the full image reference recorded in the archive, such as
	// ghcr.io/wurzel-dev/wurzel:v1.2.3.
	Ref string
	// Version is the image's org.opencontainers.image.version label.
	Version   string
	Platforms []Platform
	// Created is the image's creation time and every file's time.
	Created time.Time
}

// Write builds the image (one platform) or image index (several) and writes
// it as an OCI image-layout archive to out, through a temporary file so that
// a failure never leaves a partial archive.
func Write(out string, opts Options) error {
	if len(opts.Platforms) == 0 {
		return fmt.Errorf("no platform given")
	}
	dir, err := os.MkdirTemp("", "wurzel-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := writeLayout(dir, opts); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tarDir(tmp, dir, opts.Created); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// writeLayout writes the OCI image layout into dir.
func writeLayout(dir string, opts Options) error {
	images := make([]v1.Image, len(opts.Platforms))
	for i, p := range opts.Platforms {
		img, err := platformImage(p, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		images[i] = img
	}
	path, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	name := layout.WithAnnotations(map[string]string{refNameAnnotation: opts.Ref})
	if len(images) == 1 {
		return path.AppendImage(images[0], name)
	}
	adds := make([]mutate.IndexAddendum, len(images))
	for i, img := range images {
		p := opts.Platforms[i]
		adds[i] = mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{
			Platform: &v1.Platform{OS: p.OS, Architecture: p.Arch, Variant: p.Variant},
		}}
	}
	idx := mutate.IndexMediaType(mutate.AppendManifests(empty.Index, adds...), types.OCIImageIndex)
	return path.AppendIndex(idx, name)
}

// platformImage is the image of one platform: one layer with the binaries.
func platformImage(p Platform, opts Options) (v1.Image, error) {
	layerTar, err := binaryLayer(p, opts.Created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(mutate.ConfigMediaType(empty.Image, types.OCIConfigJSON), types.OCIManifestSchema1)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{
		Created:   v1.Time{Time: opts.Created},
		CreatedBy: "wurzel tools/image: /wurzel, /wurzel-fetch and /wurzel-step",
	}})
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture, cfg.Variant = p.OS, p.Arch, p.Variant
	cfg.Created = v1.Time{Time: opts.Created}
	cfg.Config = v1.Config{
		User:       user,
		Entrypoint: []string{"/wurzel"},
		Labels: map[string]string{
			"org.opencontainers.image.title":   "wurzel runner",
			"org.opencontainers.image.version": opts.Version,
			"org.opencontainers.image.source":  "https://github.com/wurzel-dev/wurzel",
		},
	}
	return mutate.ConfigFile(img, cfg)
}

// binaryLayer is the uncompressed layer: each binary at the root, owned by
// root, mode 0755, after checking that it is a static executable for p.
func binaryLayer(p Platform, created time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range binaries {
		file := filepath.Join(p.Dir, name)
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if err := checkStatic(file, data, p); err != nil {
			return nil, err
		}
		hdr := &tar.Header{
			Typeflag: tar.TypeReg, Name: name, Mode: 0o755, Size: int64(len(data)),
			ModTime: created, Format: tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// elfMachines maps GOARCH values to ELF machines.
var elfMachines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM, "386": elf.EM_386,
	"ppc64le": elf.EM_PPC64, "s390x": elf.EM_S390, "riscv64": elf.EM_RISCV,
}

// checkStatic refuses anything but a statically linked Linux executable for
// p's architecture: the image has no libc and no dynamic loader, so any
// other binary would fail only when a pod starts.
func checkStatic(file string, data []byte, p Platform) error {
	if p.OS != "linux" {
		return fmt.Errorf("only linux images are supported, not %s", p.OS)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: not an ELF executable: %w", file, err)
	}
	defer f.Close()
	want, ok := elfMachines[p.Arch]
	if !ok {
		return fmt.Errorf("unknown architecture %q", p.Arch)
	}
	if f.Machine != want {
		return fmt.Errorf("%s: built for %s, not %s", file, f.Machine, p)
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			return fmt.Errorf("%s: dynamically linked (build it with CGO_ENABLED=0)", file)
		}
	}
	return nil
}

// tarDir writes the files under dir to w as a tar archive with sorted
// entries, fixed times and modes and no owner names, so that the archive's
// bytes depend only on the content.
func tarDir(w io.Writer, dir string, mtime time.Time) error {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	tw := tar.NewWriter(w)
	for _, name := range names {
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name, ModTime: mtime, Format: tar.FormatPAX}
		switch {
		case fi.IsDir():
			hdr.Typeflag, hdr.Name, hdr.Mode = tar.TypeDir, name+"/", 0o755
		case fi.Mode().IsRegular():
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeReg, 0o644, fi.Size()
		default:
			return fmt.Errorf("%s: unexpected file type in the image layout", name)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeReg {
			if err := copyFile(tw, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	return tw.Close()
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// parsePlatform reads "os/arch[/variant]=dir".
func parsePlatform(arg string) (Platform, error) {
	spec, dir, ok := strings.Cut(arg, "=")
	parts := strings.Split(spec, "/")
	if !ok || dir == "" || len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return Platform{}, fmt.Errorf("platform %q: want OS/ARCH[/VARIANT]=DIR", arg)
	}
	p := Platform{OS: parts[0], Arch: parts[1], Dir: dir}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}
