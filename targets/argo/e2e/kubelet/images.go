package kubelet

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Image is an image the kubelet can run: a root file system.
type Image struct {
	// Lower is the overlay lower directory (or colon-separated list).
	Lower string
	// User and Group are the image's default identity (its config's User).
	User, Group int64
}

// Images resolves image references. Refs lists the images that exist;
// Default, when set, stands in for every other reference, except those
// Unpullable says cannot be pulled.
type Images struct {
	Refs       map[string]Image
	Default    *Image
	Unpullable func(ref string) bool
}

// Resolve returns the image ref names, or false when it cannot be pulled.
func (im *Images) Resolve(ref string) (Image, bool) {
	if img, ok := im.Refs[ref]; ok {
		return img, true
	}
	if im.Default == nil || (im.Unpullable != nil && im.Unpullable(ref)) {
		return Image{}, false
	}
	return *im.Default, true
}

// HostImage is the host's root file system as an image, with the
// directories an image would have empty (tmp, home, root, work...) masked
// by opaque directories in a layer made under dir, and files (path ->
// content) of that layer over the host's.
func HostImage(dir string, masked []string, files map[string][]byte) (Image, error) {
	mask := filepath.Join(dir, "host-mask")
	for name, data := range files {
		p := filepath.Join(mask, filepath.Clean("/"+name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return Image{}, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return Image{}, err
		}
	}
	for _, m := range masked {
		d := filepath.Join(mask, m)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return Image{}, err
		}
		if err := setOpaque(d); err != nil {
			return Image{}, fmt.Errorf("masking /%s: %w", m, err)
		}
		if m == "tmp" || m == "var/tmp" {
			if err := os.Chmod(d, 0o1777); err != nil {
				return Image{}, err
			}
		}
	}
	return Image{Lower: mask + ":/"}, nil
}

// LoadOCIArchive extracts the image of this machine's platform from an OCI
// image-layout archive (what `make image` writes) into dir and returns its
// reference (org.opencontainers.image.ref.name) and the image.
func LoadOCIArchive(file, dir string) (string, Image, error) {
	layout := filepath.Join(dir, "layout")
	if err := untar(file, layout, false); err != nil {
		return "", Image{}, err
	}
	var index ociDoc
	if err := readJSON(filepath.Join(layout, "index.json"), &index); err != nil {
		return "", Image{}, err
	}
	if len(index.Manifests) != 1 {
		return "", Image{}, fmt.Errorf("%s: index.json has %d entries, want 1", file, len(index.Manifests))
	}
	ref := index.Manifests[0].Annotations["org.opencontainers.image.ref.name"]
	manifest, err := platformManifest(layout, index.Manifests[0])
	if err != nil {
		return "", Image{}, err
	}
	rootfs := filepath.Join(dir, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return "", Image{}, err
	}
	for _, l := range manifest.Layers {
		if err := untar(blobPath(layout, l.Digest), rootfs, strings.HasSuffix(l.MediaType, "gzip")); err != nil {
			return "", Image{}, err
		}
	}
	var cfg struct{ Config struct{ User string } }
	if err := readJSON(blobPath(layout, manifest.Config.Digest), &cfg); err != nil {
		return "", Image{}, err
	}
	img := Image{Lower: rootfs}
	img.User, img.Group = parseUser(cfg.Config.User)
	return ref, img, nil
}

type ociDescriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Annotations map[string]string `json:"annotations"`
	Platform    *struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
	} `json:"platform"`
}

type ociDoc struct {
	MediaType string          `json:"mediaType"`
	Manifests []ociDescriptor `json:"manifests"`
	Config    ociDescriptor   `json:"config"`
	Layers    []ociDescriptor `json:"layers"`
}

// platformManifest follows an image index to this machine's image.
func platformManifest(layout string, d ociDescriptor) (ociDoc, error) {
	var doc ociDoc
	if err := readJSON(blobPath(layout, d.Digest), &doc); err != nil {
		return doc, err
	}
	if len(doc.Manifests) == 0 {
		return doc, nil
	}
	for _, m := range doc.Manifests {
		if m.Platform != nil && m.Platform.OS == "linux" && m.Platform.Architecture == runtime.GOARCH {
			return platformManifest(layout, m)
		}
	}
	return doc, fmt.Errorf("the image has no linux/%s manifest", runtime.GOARCH)
}

func blobPath(layout, digest string) string {
	return filepath.Join(layout, "blobs", strings.Replace(digest, ":", string(filepath.Separator), 1))
}

func readJSON(file string, v any) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// parseUser reads an image config's "uid[:gid]" (numeric only: the images
// here have no /etc/passwd).
func parseUser(s string) (int64, int64) {
	u, g, _ := strings.Cut(s, ":")
	uid, _ := strconv.ParseInt(u, 10, 64)
	gid, _ := strconv.ParseInt(g, 10, 64)
	return uid, gid
}

// untar extracts regular files and directories of a tar archive into dir.
func untar(file, dir string, gzipped bool) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if gzipped {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		r = zr
	}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		name := filepath.Join(dir, filepath.Clean("/"+hdr.Name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, os.FileMode(hdr.Mode)&os.ModePerm|0o700); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			out, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(hdr.Mode)&os.ModePerm)
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, tr); err != nil {
				out.Close()
				return err
			}
			if err := out.Close(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: %s: unsupported entry type %c", file, hdr.Name, hdr.Typeflag)
		}
	}
}
