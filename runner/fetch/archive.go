package fetch

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	getter "github.com/hashicorp/go-getter"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// archiveFormats maps go-getter's archive extensions to the stream that
// holds the members: a tar behind a compressor, or a zip.
var archiveFormats = map[string]string{
	"tar": "", "zip": "zip",
	"tar.gz": "gz", "tgz": "gz",
	"tar.bz2": "bz2", "tbz2": "bz2",
	"tar.xz": "xz", "txz": "xz",
	"tar.zst": "zst", "tzst": "zst",
}

// memberChecked is a go-getter decompressor that first reads the archive's
// member list and refuses what is neither a regular file nor a directory:
// go-getter would write a symbolic link, a hard link, a FIFO or a device as
// an empty regular file, and the step would read nothing where the archive
// promised something.
type memberChecked struct {
	getter.Decompressor
	format   string
	maxFiles int
	maxBytes int64 // 0: no cap
}

func (d memberChecked) Decompress(dst, src string, dir bool, umask os.FileMode) error {
	var err error
	if d.format == "zip" {
		err = checkZipMembers(src)
	} else {
		err = d.checkTarMembers(src)
	}
	if err != nil {
		return err
	}
	return d.Decompressor.Decompress(dst, src, dir, umask)
}

// checkZipMembers reads the zip's central directory.
func checkZipMembers(src string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if t := f.Mode().Type(); t != 0 && t != fs.ModeDir {
			return refusedMember(f.Name, describeMode(t))
		}
	}
	return nil
}

// checkTarMembers reads every header of the tar. It stops, as extraction
// would, once the entries exceed the caps, so that a decompression bomb
// is not unpacked in full twice.
func (d memberChecked) checkTarMembers(src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := decompressed(d.format, bufio.NewReader(f))
	if err != nil {
		return err
	}
	tr := tar.NewReader(r)
	var files int
	var size int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		files++
		size += hdr.Size
		switch {
		case d.maxFiles > 0 && files > d.maxFiles:
			return fmt.Errorf("tar archive contains too many files: %d > %d", files, d.maxFiles)
		case d.maxBytes > 0 && size > d.maxBytes:
			return fmt.Errorf("tar archive larger than limit: %d", d.maxBytes)
		}
		if what := describeTarType(hdr); what != "" {
			return refusedMember(hdr.Name, what)
		}
	}
}

// decompressed is the tar stream inside a compressed archive.
func decompressed(format string, r io.Reader) (io.Reader, error) {
	switch format {
	case "gz":
		return gzip.NewReader(r)
	case "bz2":
		return bzip2.NewReader(r), nil
	case "xz":
		return xz.NewReader(r)
	case "zst":
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, err
		}
		return zr.IOReadCloser(), nil
	}
	return r, nil
}

// describeTarType names a member go-getter cannot extract faithfully, or
// returns "" for regular files, directories and headers that are not
// members.
func describeTarType(hdr *tar.Header) string {
	switch hdr.Typeflag {
	case tar.TypeReg, '\x00' /* pre-POSIX regular file */, tar.TypeCont, tar.TypeGNUSparse, tar.TypeDir,
		tar.TypeXHeader, tar.TypeXGlobalHeader:
		return ""
	case tar.TypeSymlink:
		return fmt.Sprintf("a symbolic link (to %q)", hdr.Linkname)
	case tar.TypeLink:
		return fmt.Sprintf("a hard link (to %q)", hdr.Linkname)
	case tar.TypeChar:
		return "a character device"
	case tar.TypeBlock:
		return "a block device"
	case tar.TypeFifo:
		return "a FIFO"
	}
	return fmt.Sprintf("of tar type %q", hdr.Typeflag)
}

func describeMode(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	case t&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

func refusedMember(name, what string) error {
	return fmt.Errorf("archive member %q is %s: only regular files and directories are extracted", name, what)
}
