package local

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/manifest"
)

// digestOf hashes the JSON encoding of v: a stable digest of values whose
// encoding is deterministic (slices in order, map keys sorted).
func digestOf(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		// Only strings, slices and maps of strings reach here.
		panic(fmt.Sprintf("digest: %v", err))
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// staticFingerprint is the part of a step's fingerprint that does not depend
// on other steps' results: everything but the digests of `from` inputs.
func (e *executor) staticFingerprint(s *ir.Step) (Fingerprint, error) {
	fp := Fingerprint{
		Command:    digestOf(s.Command),
		Image:      s.Image,
		ImageID:    e.imageID(s),
		Env:        digestOf(envMap(s.Env)),
		Settings:   digestOf(s.Settings),
		Secrets:    append([]string(nil), s.Secrets...),
		Volumes:    append([]string(nil), s.Volumes...),
		OutputDecl: digestOf(outputDecls(s.Outputs)),
		Inputs:     map[string]string{},
	}
	for i := range s.Inputs {
		in := &s.Inputs[i]
		if in.Source == "" {
			continue
		}
		content, err := e.sources.digest(in.Source)
		if err != nil {
			return fp, fmt.Errorf("input %s: %v", in.Name, err)
		}
		if content == "" {
			// A remote source without a checksum or a pinned commit
			// cannot be compared without downloading it: leave it out,
			// which makes the step run every time (see reasons).
			continue
		}
		fp.Inputs[in.Name] = digestOf([]string{inputDecl(in), content})
	}
	for _, w := range s.Watch {
		if fp.Watch == nil {
			fp.Watch = map[string]string{}
		}
		d, err := treeDigest(e.abs(w))
		if err != nil {
			if !os.IsNotExist(err) {
				return fp, fmt.Errorf("watched file %s: %v", w, err)
			}
			d = "missing"
		}
		fp.Watch[w] = d
	}
	return fp, nil
}

// addUpstream adds the digests of the step's `from` inputs, taken from the
// producers' recorded runs (this run's when they ran, the lock's when they
// were up to date).
func (e *executor) addUpstream(s *ir.Step, fp *Fingerprint) error {
	for i := range s.Inputs {
		if s.Inputs[i].Source != "" {
			continue
		}
		if err := e.addUpstreamOne(s, &s.Inputs[i], fp); err != nil {
			return err
		}
	}
	return nil
}

// addUpstreamOne adds the digest of one `from` or fan-in input: the digests
// of what its producers published, with their keys.
func (e *executor) addUpstreamOne(s *ir.Step, in *ir.Input, fp *Fingerprint) error {
	parts := []string{inputDecl(in)}
	for _, from := range in.Producers() {
		rec := e.lock.get(from.Step)
		if rec == nil {
			return fmt.Errorf("input %s: step %s has no successful run", in.Name, from.Step)
		}
		out, ok := rec.Outputs[from.Output]
		if !ok {
			return fmt.Errorf("input %s: step %s recorded no output %s", in.Name, from.Step, from.Output)
		}
		if in.FanIn != nil {
			parts = append(parts, from.Key)
		}
		parts = append(parts, out.Digest)
	}
	fp.Inputs[in.Name] = digestOf(parts)
	return nil
}

func envMap(env map[string]string) map[string]string {
	if env == nil {
		return map[string]string{}
	}
	return env
}

func outputDecls(outs []ir.Output) [][]string {
	decls := make([][]string, 0, len(outs))
	for _, o := range outs {
		decls = append(decls, []string{o.Name, o.Path, o.Type})
	}
	return decls
}

// inputDecl is what of an input's declaration matters to the command.
func inputDecl(in *ir.Input) string {
	decl := []string{in.Name, in.Path, in.Type, in.Source}
	switch {
	case in.From != nil:
		decl = append(decl, in.From.Step+"."+in.From.Output)
	case in.FanIn != nil:
		decl = append(decl, "fan-in", in.FanIn.Step+"."+in.FanIn.Output)
	default:
		decl = append(decl, "")
	}
	return digestOf(decl)
}

// reasons compares a step's fingerprint with its last successful run and
// says, in the user's words, why it must run again. No reasons means the
// step is up to date.
func reasons(s *ir.Step, old *LockStep, fp Fingerprint) []string {
	if s.AlwaysRun {
		return []string{"always_run"}
	}
	if old == nil {
		return []string{"never run"}
	}
	var rs []string
	add := func(changed bool, reason string) {
		if changed {
			rs = append(rs, reason)
		}
	}
	add(old.Command != fp.Command, "command changed")
	add(old.Image != fp.Image, "image changed")
	if r := isolationReason(old.ImageID, fp.ImageID); r != "" {
		rs = append(rs, r)
	}
	add(old.Env != fp.Env, "env changed")
	add(old.Settings != fp.Settings, "settings changed")
	add(!equalStrings(old.Secrets, fp.Secrets), "secrets changed")
	add(!equalStrings(old.Volumes, fp.Volumes), "volumes changed")
	add(old.OutputDecl != fp.OutputDecl, "outputs changed")
	for i := range s.Inputs {
		in := &s.Inputs[i]
		d, ok := fp.Inputs[in.Name]
		switch {
		case !ok && in.Source != "":
			rs = append(rs, fmt.Sprintf("input %s is remote and not pinned (no ?checksum=, no commit as ?ref=)", in.Name))
		case old.Inputs[in.Name] != d:
			rs = append(rs, fmt.Sprintf("input %s changed", in.Name))
		}
	}
	for name := range old.Inputs {
		if s.Input(name) == nil {
			rs = append(rs, fmt.Sprintf("input %s removed", name))
		}
	}
	watched := make([]string, 0, len(fp.Watch)+len(old.Watch))
	for w := range fp.Watch {
		watched = append(watched, w)
	}
	for w := range old.Watch {
		if _, ok := fp.Watch[w]; !ok {
			watched = append(watched, w)
		}
	}
	sort.Strings(watched)
	for _, w := range watched {
		add(old.Watch[w] != fp.Watch[w], fmt.Sprintf("watched file %s changed", w))
	}
	return rs
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sourceDigests computes, once per run, the content digest of each `source`
// address.
type sourceDigests struct {
	pipelineDir string
	mu          sync.Mutex
	cache       map[string]*sourceDigest
}

type sourceDigest struct {
	once   sync.Once
	digest string
	err    error
}

// digest returns the content digest of a go-getter source address: the
// content itself for local files and directories (read here, as the runner
// would copy them), the pin of remote ones that carry `?checksum=` or a git
// `?ref=` with a full commit id, and "" for other remote ones (they cannot be
// compared without downloading them).
func (c *sourceDigests) digest(src string) (string, error) {
	c.mu.Lock()
	if c.cache == nil {
		c.cache = map[string]*sourceDigest{}
	}
	d, ok := c.cache[src]
	if !ok {
		d = &sourceDigest{}
		c.cache[src] = d
	}
	c.mu.Unlock()
	d.once.Do(func() { d.digest, d.err = c.compute(src) })
	return d.digest, d.err
}

func (c *sourceDigests) compute(src string) (string, error) {
	d, err := c.computeRaw(src)
	if err != nil {
		// Addresses may carry credentials or signatures: never show them.
		red := runner.NewRedactor(src)
		return "", fmt.Errorf("source %q: %s", red.String(src), red.String(err.Error()))
	}
	return d, nil
}

func (c *sourceDigests) computeRaw(src string) (string, error) {
	addr, err := sourceaddr.Parse(src, c.pipelineDir)
	if err != nil {
		return "", err
	}
	if addr.Local {
		return treeDigest(addr.Path)
	}
	// A checksum or a full git commit id names the content; anything else
	// could change behind the same address.
	return addr.Pin(), nil
}

// treeDigest hashes a file, or a directory's files with their relative
// paths, in lexical order. Symbolic links are followed, as a copy would.
func treeDigest(root string) (string, error) {
	info, err := os.Stat(root)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if !info.IsDir() {
		fd, err := fileDigest(root)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "file %d %s\n", info.Size(), fd)
		return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if st.IsDir() {
			return nil // a symlink to a directory: not copied by hashing
		}
		fd, err := fileDigest(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %d %s\n", filepath.ToSlash(rel), st.Size(), fd)
		return nil
	})
	if err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// fileDigest hashes a regular file: a FIFO or a device in a source or a
// watched directory would block the run's planning or never end.
func fileDigest(p string) (string, error) {
	f, err := regularfile.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum, err := manifest.HashReader(f)
	return sum.SHA256, err
}
