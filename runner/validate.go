package runner

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/names"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Validate checks what the runner relies on beyond spec.Parse: names, paths
// that stay inside the work directory, one origin per input, a manifest
// location. Its errors end the step with CodeBadSpec.
func Validate(st *spec.Step) error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(names.Valid(st.Pipeline), "pipeline name %q is not valid", st.Pipeline)
	check(names.Valid(st.Step), "step name %q is not valid", st.Step)
	check(st.EachKey == "" || names.ValidKeyName(st.EachKey), "instance key %q is not valid", st.EachKey)
	check(len(st.Command) > 0 && st.Command[0] != "", "command is empty")
	check(st.Manifest != "", "manifest location is empty")
	check(!st.VolatileManifest || !isS3(st.Manifest), "volatile_manifest is for a local manifest, not %s", st.Manifest)
	seen := map[string]bool{}
	for _, in := range st.Inputs {
		check(names.Valid(in.Name), "input name %q is not valid", in.Name)
		check(!seen["in:"+in.Name], "input %q is declared twice", in.Name)
		seen["in:"+in.Name] = true
		if err := checkRelPath(in.Path); err != nil {
			errs = append(errs, fmt.Errorf("input %q: %w", in.Name, err))
		}
		origins := 0
		for _, has := range []bool{in.Source != "", in.From != nil, in.FanIn != nil} {
			if has {
				origins++
			}
		}
		check(origins == 1, "input %q must have exactly one of source, from and fan_in", in.Name)
		if in.From != nil {
			check(in.From.Manifest != "", "input %q: the manifest location of step %q is empty", in.Name, in.From.Step)
		}
		keys := map[string]bool{}
		for _, inst := range in.FanIn {
			check(names.ValidKeyName(inst.Key), "input %q: instance key %q is not valid", in.Name, inst.Key)
			check(!keys[inst.Key], "input %q: instance key %q appears twice", in.Name, inst.Key)
			keys[inst.Key] = true
			check(inst.Manifest != "", "input %q: the manifest location of step %q is empty", in.Name, inst.Step)
		}
	}
	for _, o := range st.Outputs {
		check(names.Valid(o.Name), "output name %q is not valid", o.Name)
		check(!seen["out:"+o.Name], "output %q is declared twice", o.Name)
		seen["out:"+o.Name] = true
		if err := checkRelPath(o.Path); err != nil {
			errs = append(errs, fmt.Errorf("output %q: %w", o.Name, err))
		}
		check(o.Kind == spec.KindFile || o.Kind == spec.KindDir, "output %q: kind must be %q or %q, not %q", o.Name, spec.KindFile, spec.KindDir, o.Kind)
	}
	for _, s := range st.Secrets {
		check(names.Valid(s.Name), "secret name %q is not valid", s.Name)
		for _, k := range s.Keys {
			check(k != "" && !strings.ContainsAny(k, "/\\") && k != "." && k != "..", "secret %q: key %q is not a file name", s.Name, k)
		}
	}
	for _, v := range st.Volumes {
		check(names.Valid(v.Name), "volume name %q is not valid", v.Name)
		check(v.Path != "", "volume %q has no path", v.Name)
	}
	check(st.TimeoutSeconds >= 0, "timeout_seconds is negative")
	check(st.Sources.MaxBytes >= 0, "sources.max_bytes is negative")
	return errors.Join(errs...)
}

// checkRelPath accepts clean, relative, slash-separated paths that stay in
// the work directory.
func checkRelPath(p string) error {
	switch {
	case p == "":
		return errors.New("path is empty")
	case path.IsAbs(p) || strings.HasPrefix(p, "\\"):
		return fmt.Errorf("path %q must be relative to the work directory", p)
	case path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("path %q must be clean and stay inside the work directory", p)
	}
	return nil
}
