package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wurzel-dev/wurzel/format"
	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

func init() { register(newFmtCmd) }

type fmtFlags struct {
	check, diff, recursive, list, write bool
}

// stdinName is how standard input is named in diagnostics and diffs.
const stdinName = "<stdin>"

func newFmtCmd(a *app) *cobra.Command {
	var f fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt [flags] [PATH...]",
		Short: "Rewrite pipeline files in the canonical layout",
		Long: `Fmt rewrites .wurzel.hcl files in the canonical layout: indentation, spacing
and aligned "=" signs. It changes whitespace only, never expressions. PATH is a
file or a directory (default: the current directory); directories are searched
for *.wurzel.hcl files, their subdirectories too with -recursive. A PATH of "-"
formats standard input to standard output. Files in JSON syntax are left alone.

The names of the files it changes are printed. Files that do not parse are
reported and left untouched.

Flags may be written with one dash or two, as in gofmt: -check or --check,
-list=false or --list=false.

Exit status: 0 on success, 1 when a file does not parse or cannot be read or
written, 2 for usage errors, 3 with -check when a file is not formatted.`,
		// Flags are parsed in RunE so that gofmt's single-dash long flags
		// work as well as pflag's double-dash ones.
		DisableFlagParsing: true,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"hcl"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			flags := cmd.Flags()
			if err := flags.Parse(doubleDashLongFlags(args, flags)); err != nil {
				return usageError(err)
			}
			if help, _ := flags.GetBool("help"); help {
				return cmd.Help()
			}
			return a.fmt(flags.Args(), f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.check, "check", false, "write nothing; exit with status 3 when any file is not formatted")
	fl.BoolVar(&f.diff, "diff", false, "print the changes as unified diffs")
	fl.BoolVar(&f.recursive, "recursive", false, "also format the files in subdirectories")
	fl.BoolVar(&f.list, "list", true, "print the names of the files whose formatting differs (not with -diff)")
	fl.BoolVar(&f.write, "write", true, "write the result back to the files (not with -check)")
	return cmd
}

// doubleDashLongFlags rewrites -name and -name=value to --name and
// --name=value for the long flags of fs, leaving shorthands (-h), "-" and
// everything after "--" alone.
func doubleDashLongFlags(args []string, fs *pflag.FlagSet) []string {
	out := make([]string, 0, len(args))
	for i, arg := range args {
		if arg == "--" {
			return append(out, args[i:]...)
		}
		if len(arg) > 2 && arg[0] == '-' && arg[1] != '-' {
			name, _, _ := strings.Cut(arg[1:], "=")
			if len(name) > 1 && fs.Lookup(name) != nil {
				arg = "-" + arg
			}
		}
		out = append(out, arg)
	}
	return out
}

// fmtRun collects what formatting many files found, for the exit status.
type fmtRun struct {
	a       *app
	f       fmtFlags
	src     *sources
	diags   *diagWriter
	failed  bool // a file did not parse or could not be read or written
	changed bool // a file was, or with -check would be, changed
}

func (a *app) fmt(paths []string, f fmtFlags) error {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if len(paths) > 1 && slices.Contains(paths, "-") {
		return usageError(errors.New(`fmt: "-" (standard input) cannot be combined with other paths`))
	}
	src := newSources(nil)
	r := &fmtRun{a: a, f: f, src: src, diags: a.diagWriter(src)}
	for _, p := range paths {
		if p == "-" {
			r.formatStdin()
		} else {
			r.formatPath(p)
		}
	}
	switch {
	case r.failed:
		return exitCode(1)
	case r.changed && f.check:
		return exitCode(3)
	}
	return nil
}

func (r *fmtRun) formatStdin() {
	in, err := io.ReadAll(r.a.stdin)
	if err != nil {
		r.fail(fmt.Errorf("reading standard input: %w", err))
		return
	}
	out, ok := r.format(stdinName, in)
	if !ok {
		return
	}
	if r.f.diff {
		r.printDiff(stdinName, in, out)
	}
	if !r.f.check && !r.f.diff {
		r.a.stdout.Write(out)
	}
}

// formatPath formats the file at p, or the pipeline files in the directory
// at p.
func (r *fmtRun) formatPath(p string) {
	info, err := os.Stat(p)
	if err != nil {
		r.fail(err)
		return
	}
	if !info.IsDir() {
		// A file named explicitly is formatted whatever its name (var
		// files are HCL too), unless it is JSON.
		if !format.IsJSONFile(p) {
			r.formatFile(p)
		}
		return
	}
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			r.fail(err)
			return nil
		}
		if d.IsDir() {
			if path == p {
				return nil
			}
			if !r.f.recursive || strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && format.IsNativeFile(d.Name()) {
			r.formatFile(path)
		}
		return nil
	})
	if err != nil {
		r.fail(err)
	}
}

func (r *fmtRun) formatFile(path string) {
	in, err := srclimit.ReadFile(path, srclimit.MaxFileSize)
	var pe *os.PathError
	if err != nil && !errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", path, err) // a FIFO, a device, too large
	}
	if err != nil {
		r.fail(err)
		return
	}
	out, ok := r.format(path, in)
	if !ok || bytes.Equal(in, out) {
		return
	}
	name := r.src.display(path)
	// A diff names its file already, so -diff replaces the list.
	if r.f.diff {
		r.printDiff(name, in, out)
	} else if r.f.list {
		fmt.Fprintln(r.a.stdout, name)
	}
	if r.f.write && !r.f.check {
		if err := writeFileAtomic(path, out); err != nil {
			r.fail(err)
		}
	}
}

// format formats in, reporting its diagnostics when it does not parse. It
// notes whether the text changes.
func (r *fmtRun) format(name string, in []byte) ([]byte, bool) {
	out, diags := format.Source(name, in)
	if diags.HasErrors() {
		r.src.add(name, in)
		r.diags.writeAll(diags)
		r.failed = true
		return nil, false
	}
	if !bytes.Equal(in, out) {
		r.changed = true
	}
	return out, true
}

func (r *fmtRun) printDiff(name string, in, out []byte) {
	r.a.stdout.Write(diff.Diff(name+".orig", in, name, out))
}

func (r *fmtRun) fail(err error) {
	fmt.Fprintf(r.a.stderr, "wurzel fmt: %v\n", err)
	r.failed = true
}

// writeFileAtomic replaces the file at path with data so that readers see
// either the old or the new text, never a part, keeping the file's
// permissions. A symbolic link is followed, so the link stays a link.
func writeFileAtomic(path string, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(target, data, info.Mode().Perm(), false)
}
