package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/targets"
)

func init() { register(newGenerateCmd) }

type generateFlags struct {
	vars   varFlags
	target string
	output string
}

func newGenerateCmd(a *app) *cobra.Command {
	var f generateFlags
	cmd := &cobra.Command{
		Use:   "generate [PATH] --target NAME [-o FILE|DIR|-]",
		Short: "Generate a back end's files from a pipeline",
		Long: `Generate loads and checks the pipeline at PATH (a .wurzel.hcl or
.wurzel.hcl.json file, or a directory of them; default: the current
directory) and writes what the target makes of it.

A target that writes one stream (argo: one multi-document YAML stream)
prints it on standard output by default or with -o -, and writes it to FILE
with -o FILE, or into DIR under the target's file name when -o names an
existing directory or ends in "/". A target that writes several files (dvc)
writes them under DIR given with -o DIR, by default the pipeline's
directory.

Files are written only when the pipeline is valid, each to a temporary name
first and then renamed, so an error never leaves a partial file behind.

Exit status: 0 on success (warnings allowed), 1 when the pipeline is invalid
or a file cannot be written, 2 for usage errors.`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completePipelinePath,
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "."
			if len(args) == 1 {
				path = args[0]
			}
			return a.generate(path, f, cmd.Flags().Changed("output"))
		},
	}
	f.vars.register(cmd)
	cmd.Flags().StringVar(&f.target, "target", "", "the back end `NAME`: "+strings.Join(targets.Names(), ", "))
	cmd.Flags().StringVarP(&f.output, "output", "o", "-", "where to write: `FILE`, DIR, or - for standard output")
	_ = cmd.RegisterFlagCompletionFunc("target", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return targets.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func (a *app) generate(path string, f generateFlags, outputGiven bool) error {
	if f.target == "" {
		return usageError(fmt.Errorf("generate: --target is required (known targets: %s)", knownTargets()))
	}
	target, ok := targets.ByName(f.target)
	if !ok {
		return usageError(fmt.Errorf("generate: unknown target %q (known targets: %s)", f.target, knownTargets()))
	}
	gopts := backend.GenerateOptions{Version: version}
	if outputGiven && isDir(f.output) {
		// Targets that write several files relate them to the pipeline
		// directory by relative paths, so they must know where they go.
		gopts.OutputDir = f.output
	}
	res, files, err := driver.Generate(path, f.vars.options(a.environ), target, gopts)
	a.writeDiagnostics(res.Files, res.Diagnostics)
	if errs, warns := countDiagnostics(res.Diagnostics); errs > 0 || res.Pipeline == nil {
		if errs == 0 {
			errs = 1
		}
		fmt.Fprintf(a.stderr, "wurzel: generate: the pipeline is invalid: %s; nothing was written\n", countPhrase(errs, warns))
		return exitCode(1)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "wurzel: generate: %v; nothing was written\n", err)
		return exitCode(1)
	}
	if err := a.writeGenerated(path, target, files, f.output, outputGiven); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			return err
		}
		fmt.Fprintf(a.stderr, "wurzel: generate: %v\n", err)
		return exitCode(1)
	}
	return nil
}

// writeGenerated puts the target's files where -o says.
func (a *app) writeGenerated(pipelinePath string, target backend.Target, files []backend.File, output string, outputGiven bool) error {
	for _, f := range files {
		if err := checkRelative(f.Path); err != nil {
			return err
		}
	}
	if len(files) == 1 {
		switch {
		case output == "-":
			_, err := a.stdout.Write(files[0].Data)
			return err
		case isDir(output) || strings.HasSuffix(output, "/") || strings.HasSuffix(output, string(filepath.Separator)):
			return writeFilesAtomically(output, files)
		default:
			return writeFilesAtomically(filepath.Dir(output), []backend.File{{Path: filepath.Base(output), Data: files[0].Data}})
		}
	}
	dir := output
	if !outputGiven {
		dir = pipelineDir(pipelinePath)
	} else if output == "-" {
		return usageError(errors.New("generate: this target writes several files; give a directory with -o DIR"))
	}
	if !isDir(dir) {
		return fmt.Errorf("output directory %s does not exist or is not a directory; nothing was written", dir)
	}
	if err := writeFilesAtomically(dir, files); err != nil {
		return err
	}
	return a.removeStale(dir, target, files)
}

// removeStale deletes the files the target owns in dir but no longer
// generates, once the new ones are in place, and says which.
func (a *app) removeStale(dir string, target backend.Target, files []backend.File) error {
	stale, err := backend.StaleFiles(dir, target, files)
	if err != nil {
		return err
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			return fmt.Errorf("removing the stale %s: %w", name, err)
		}
		fmt.Fprintf(a.stderr, "wurzel: generate: removed %s, which the pipeline no longer generates\n", name)
	}
	return nil
}

// pipelineDir is the directory of a pipeline given as a file or directory.
func pipelineDir(path string) string {
	if isDir(path) {
		return path
	}
	return filepath.Dir(path)
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// checkRelative refuses a file name that would leave the output directory.
func checkRelative(name string) error {
	clean := filepath.Clean(filepath.FromSlash(name))
	if name == "" || filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return fmt.Errorf("the target produced a file name outside the output directory: %q", name)
	}
	return nil
}

// writeFilesAtomically writes every file under dir to a temporary name in its
// final directory first, and renames them into place only when all of them
// were written, so that a failure leaves no partial file. The files are made
// durable together (atomicfile.Batch): a DVC project of 10,000 steps is
// 10,000 files, and a sync per file would cost more than generating them.
// A file that already holds exactly the new content is left alone: most of
// a project's step specs survive an edit of its pipeline, and creating a
// file costs far more than reading one.
func writeFilesAtomically(dir string, files []backend.File) error {
	var batch atomicfile.Batch
	for _, f := range files {
		final := filepath.Join(dir, filepath.FromSlash(f.Path))
		if holds(final, f.Data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
			batch.Abort()
			return fmt.Errorf("creating the directory for %s: %w; nothing was written", final, err)
		}
		if err := batch.WriteFile(final, f.Data, 0o644); err != nil {
			batch.Abort()
			return fmt.Errorf("writing %s: %w; nothing was written", final, err)
		}
	}
	if n, err := batch.Commit(false); err != nil {
		if n == 0 {
			return fmt.Errorf("%w; nothing was written", err)
		}
		return fmt.Errorf("%w (%d of %d files were written)", err, n, len(files))
	}
	return nil
}

// holds reports whether path is a regular file whose content is data.
func holds(path string, data []byte) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false
	}
	have, err := os.ReadFile(path)
	return err == nil && bytes.Equal(have, data)
}
