package fetch

import (
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	getter "github.com/hashicorp/go-getter"
	"github.com/wurzel-dev/wurzel/internal/regularfile"
)

// copyingFileGetter is go-getter's file getter, except that directories are
// copied too (go-getter always symlinks them, which would let a step write
// into its source and see later changes to it). Symbolic links inside the
// source are followed only when they stay inside it.
type copyingFileGetter struct {
	getter.FileGetter
}

// Get copies the directory u names to dst.
func (g *copyingFileGetter) Get(dst string, u *url.URL) error {
	src := u.Path
	if u.RawPath != "" {
		src = u.RawPath
	}
	root, err := filepath.EvalSymlinks(src)
	if err != nil {
		return fmt.Errorf("source path error: %w", err)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("source path error: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("source path must be a directory")
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			resolved, err := filepath.EvalSymlinks(p)
			if err != nil || !within(root, resolved) {
				return fmt.Errorf("symbolic link %s points outside the source", filepath.ToSlash(rel))
			}
			info, err := os.Stat(resolved)
			if err != nil {
				return err
			}
			if !info.Mode().IsRegular() {
				return fmt.Errorf("symbolic link %s does not point at a regular file", filepath.ToSlash(rel))
			}
			return copyPlain(resolved, target, info.Mode())
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			return copyPlain(p, target, info.Mode())
		default:
			return fmt.Errorf("%s is not a regular file or directory", filepath.ToSlash(rel))
		}
	})
}

// GetFile copies the file u names to dst, refusing a symbolic link and
// anything but a regular file: go-getter would wait forever for a FIFO's
// writer, or copy /dev/zero until the disk is full.
func (g *copyingFileGetter) GetFile(dst string, u *url.URL) error {
	src := u.Path
	if u.RawPath != "" {
		src = u.RawPath
	}
	f, err := regularfile.Open(src)
	if err != nil {
		return fmt.Errorf("source path error: %w", err)
	}
	f.Close()
	g.FileGetter.Copy = true
	return g.FileGetter.GetFile(dst, u)
}

func copyPlain(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm()&0o755|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
