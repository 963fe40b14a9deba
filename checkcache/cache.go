package checkcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
)

// EntryName is the name of the cache entry in Options.Dir.
const EntryName = "checked-pipeline"

// magic starts every entry; its last digits are the format's version, to
// be raised whenever the layout of an entry changes. The IR's own types
// are not in it: the binary's identity is part of the key.
const magic = "wurzel checked pipeline 1\n"

// Options say how Load uses the cache.
type Options struct {
	// Dir is the directory that keeps the entry (`wurzel run`'s:
	// cache/ in the run's state directory). Empty means no cache: Load is
	// driver.Check.
	Dir string
	// Write stores the result of a load that missed. Off for a dry run,
	// which writes nothing.
	Write bool
	// Executable identifies the program whose front end made the entry;
	// empty means the running program (os.Executable).
	Executable string
}

// entry is what a cache file holds after its header.
type entry struct {
	External []lang.ExternalFile
	Pipeline *ir.Pipeline
}

// Load is driver.Check(path, lopts) without targets, answered from the
// pipeline's cache entry when the entry's key matches and every external
// file it depends on is as it was. A load that misses and finds neither
// error nor warning is stored for the next time when opts.Write is set.
// A hit's Result holds the Pipeline and no Files, Decls or Refs: the
// cache serves a run, not an editor.
func Load(path string, lopts lang.Options, opts Options) (res *lang.Result, hit bool) {
	if opts.Dir == "" {
		return driver.Check(path, lopts), false
	}
	dir, files, diags := lang.ReadPipeline(path)
	if len(diags) > 0 {
		return driver.Check(path, lopts), false
	}
	key, err := keyOf(path, dir, files, lopts, opts.Executable)
	if err != nil {
		return driver.Check(path, lopts), false
	}
	entryPath := filepath.Join(opts.Dir, EntryName)
	if p := lookup(entryPath, key); p != nil {
		return &lang.Result{Pipeline: p, Files: map[string]*hcl.File{}}, true
	}
	lopts.RecordExternal = true
	res = driver.CheckSources(dir, files, lopts)
	if opts.Write && cacheable(res) {
		// A cache that cannot be written is no cache, not an error.
		_ = store(entryPath, key, entry{External: res.External, Pipeline: res.Pipeline})
	}
	return res, false
}

// cacheable says whether res may be kept. A result with diagnostics is
// not: a hit prints nothing, and warnings must be seen every time. Nor is
// one with a sensitive variable: the key is a digest of the variables'
// values, and a digest of a short secret can be guessed.
func cacheable(res *lang.Result) bool {
	if res.Pipeline == nil || len(res.Diagnostics) > 0 {
		return false
	}
	for _, v := range res.Pipeline.Variables {
		if v.Sensitive {
			return false
		}
	}
	return true
}

// keyOf is the digest of everything a load reads besides the external
// files: the program, where it runs, the path as given, the pipeline's
// files and the variables' values from the command line and environment.
func keyOf(path, dir string, files map[string][]byte, lopts lang.Options, exe string) ([sha256.Size]byte, error) {
	id, err := executableID(exe)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	h := sha256.New()
	var buf []byte
	field := func(s string) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(s)))
		h.Write(buf)
		h.Write([]byte(s))
	}
	field(magic)
	field(id)
	field(cwd)
	field(path)
	field(absDir)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	field("files")
	buf = binary.AppendUvarint(buf[:0], uint64(len(names)))
	h.Write(buf)
	for _, name := range names {
		field(name)
		buf = binary.AppendUvarint(buf[:0], uint64(len(files[name])))
		h.Write(buf)
		h.Write(files[name])
	}
	list := func(tag string, items []string) {
		field(tag)
		buf = binary.AppendUvarint(buf[:0], uint64(len(items)))
		h.Write(buf)
		for _, s := range items {
			field(s)
		}
	}
	list("vars", lopts.Vars)
	list("var-files", lopts.VarFiles)
	var env []string
	for _, kv := range lopts.Environ {
		if strings.HasPrefix(kv, "WURZEL_VAR_") {
			env = append(env, kv)
		}
	}
	list("env", env)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, nil
}

// executableID names the build of the program at exe (the running one
// when empty) by its path, size and modification time: a rebuilt or
// upgraded wurzel, whose front end may decide differently, misses. Hashing
// the binary would cost more than the load it saves.
func executableID(exe string) (string, error) {
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return "", err
		}
	}
	info, err := os.Stat(exe)
	if err != nil {
		return "", err
	}
	return exe + "\x00" + info.ModTime().UTC().Format("2006-01-02T15:04:05.999999999") +
		"\x00" + string(binary.AppendVarint(nil, info.Size())), nil
}

// lookup returns the pipeline of the entry at path when its key is key,
// its bytes are whole and its external files unchanged; nil otherwise.
func lookup(path string, key [sha256.Size]byte) *ir.Pipeline {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	payload, ok := checkHeader(data, key)
	if !ok {
		return nil
	}
	var e entry
	if err := unmarshal(payload, &e); err != nil || e.Pipeline == nil {
		return nil
	}
	if !unchanged(e.External) {
		return nil
	}
	e.Pipeline.IndexSteps()
	return e.Pipeline
}

// castagnoli is made on first use: making it costs 0.15 ms, which every
// wurzel process, `wurzel step exec` included, would pay at start-up.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

// header is magic, the key, and the CRC-32C of the payload, which tells a
// torn or damaged file from an entry.
func header(key [sha256.Size]byte, payload []byte) []byte {
	h := make([]byte, 0, len(magic)+sha256.Size+4)
	h = append(h, magic...)
	h = append(h, key[:]...)
	return binary.LittleEndian.AppendUint32(h, crc32.Checksum(payload, castagnoli()))
}

func checkHeader(data []byte, key [sha256.Size]byte) (payload []byte, ok bool) {
	n := len(magic) + sha256.Size + 4
	if len(data) < n || string(data[:len(magic)]) != magic || !bytes.Equal(data[len(magic):len(magic)+sha256.Size], key[:]) {
		return nil, false
	}
	payload = data[n:]
	return payload, binary.LittleEndian.Uint32(data[n-4:]) == crc32.Checksum(payload, castagnoli())
}

// unchanged says whether every external file is still as the load saw it.
func unchanged(files []lang.ExternalFile) bool {
	for _, f := range files {
		if !f.Unchanged() {
			return false
		}
	}
	return true
}

// store writes the entry at path, readable by its owner only: the IR holds
// the values of variables that are not sensitive, which may still be
// nobody else's business. It is not synced: after a crash, a torn entry
// fails its checksum and is a miss.
func store(path string, key [sha256.Size]byte, e entry) error {
	payload, err := marshal(nil, e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data := append(header(key, payload), payload...)
	return atomicfile.WriteFileUnsynced(path, data, 0o600)
}
