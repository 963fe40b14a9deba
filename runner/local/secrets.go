package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/regularfile"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner"
)

// checkSecrets makes sure that every secret a step uses can be read from its
// local source, before any step starts: a run that would fail half-way for
// a missing token should not start at all. Messages name the secret, the
// key and where it was looked for, never a value.
func checkSecrets(p *ir.Pipeline, environ []string) error {
	used := map[string]bool{}
	var names []string
	for i := range p.Steps {
		for _, name := range p.Steps[i].Secrets {
			if !used[name] {
				used[name] = true
				names = append(names, name)
			}
		}
	}
	var errs []error
	for _, name := range names {
		sec := p.Secret(name)
		if sec == nil {
			errs = append(errs, fmt.Errorf("secret %s is not declared", name))
			continue
		}
		errs = append(errs, checkSecret(p.Dir, sec, environ)...)
	}
	return errors.Join(errs...)
}

func checkSecret(pipelineDir string, sec *ir.Secret, environ []string) []error {
	switch {
	case sec.Local == nil:
		return []error{fmt.Errorf("secret %s has no local source: give it a local block with dir or env to run it on this machine", sec.Name)}
	case len(sec.Local.Env) > 0:
		var errs []error
		for _, key := range sec.Keys {
			v, ok := sec.Local.Env[key]
			if !ok {
				errs = append(errs, fmt.Errorf("secret %s: key %s has no environment variable in its local block", sec.Name, key))
				continue
			}
			if !envSet(environ, v) {
				errs = append(errs, fmt.Errorf("secret %s: environment variable %s (key %s) is not set", sec.Name, v, key))
			}
		}
		return errs
	default:
		dir := sec.Local.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(pipelineDir, dir)
		}
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return []error{fmt.Errorf("secret %s: local directory %s does not exist", sec.Name, dir)}
		}
		var errs []error
		for _, key := range sec.Keys {
			f, err := regularfile.Open(filepath.Join(dir, key))
			var notRegular *regularfile.NotRegularError
			if errors.As(err, &notRegular) {
				errs = append(errs, fmt.Errorf("secret %s: key file %v", sec.Name, err))
				continue
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("secret %s: key file %s is missing or unreadable", sec.Name, filepath.Join(dir, key)))
				continue
			}
			f.Close()
		}
		return errs
	}
}

// checkFetchHelper makes sure, before any step starts, that the runners will
// find the fetch helper when a step has a `source` input: where the runner
// binary exe will look, with the runners' environment.
func checkFetchHelper(p *ir.Pipeline, exe string, environ []string) error {
	for i := range p.Steps {
		for _, in := range p.Steps[i].Inputs {
			if in.Source == "" {
				continue
			}
			if _, err := runner.FindFetchHelper(exe, func(k string) string { return envValue(environ, k) }); err != nil {
				return fmt.Errorf("step %s: input %s has a source: %v", p.Steps[i].Name, in.Name, err)
			}
			return nil
		}
	}
	return nil
}

// envValue returns the last value of name in environ, as a process sees it.
func envValue(environ []string, name string) string {
	value := ""
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			value = v
		}
	}
	return value
}

func envSet(environ []string, name string) bool {
	for _, kv := range environ {
		if len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name {
			return true
		}
	}
	return false
}
