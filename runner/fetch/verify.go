package fetch

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// verifyTree walks what a getter produced and refuses symbolic links that
// lead outside it and anything larger than maxBytes (when set). It returns
// the number of files and their total size.
func verifyTree(root string, maxBytes int64) (files int, size int64, err error) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return 0, 0, err
	}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(real, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			if err := checkLink(real, p); err != nil {
				return fmt.Errorf("symbolic link %s: %w", filepath.ToSlash(rel), err)
			}
		case d.Type().IsRegular():
			fi, err := d.Info()
			if err != nil {
				return err
			}
			files++
			size += fi.Size()
			if maxBytes > 0 && size > maxBytes {
				return fmt.Errorf("download is larger than max_bytes (%d bytes)", maxBytes)
			}
		case d.IsDir():
		default:
			return fmt.Errorf("%s is not a regular file or directory", filepath.ToSlash(rel))
		}
		return nil
	})
	return files, size, err
}

// checkLink refuses a link whose target, lexically or once resolved, is
// outside root.
func checkLink(root, link string) error {
	target, err := os.Readlink(link)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(link), target)
	}
	if !within(root, target) {
		return errors.New("points outside the input")
	}
	if resolved, err := filepath.EvalSymlinks(link); err == nil && !within(root, resolved) {
		return errors.New("points outside the input")
	}
	return nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, filepath.Clean(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// recheckChecksum verifies a `?checksum=type:value` again on the final file,
// independently of go-getter.
func recheckChecksum(u *url.URL, path string) error {
	cs := u.Query().Get("checksum")
	if cs == "" || strings.HasPrefix(cs, "file:") {
		return nil
	}
	typ, want, ok := strings.Cut(cs, ":")
	if !ok {
		typ, want = "", cs
	}
	h := newHash(typ, len(want))
	if h == nil {
		return fmt.Errorf("checksum %q: unsupported type", typ)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := manifest.CopyToHash(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, want) {
		return fmt.Errorf("checksum mismatch: got %s, want %s", got, want)
	}
	return nil
}

func newHash(typ string, hexLen int) hash.Hash {
	if typ == "" {
		typ = map[int]string{32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}[hexLen]
	}
	switch typ {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}
