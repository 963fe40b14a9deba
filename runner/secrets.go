package runner

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/regularfile"
)

// mountSecrets checks every declared secret before anything else runs, so
// that a missing one fails fast, naming the secret and the path but never a
// value. Values are registered with the redactor as soon as they are read.
func (r *run) mountSecrets() error {
	for _, sec := range r.spec.Secrets {
		dir, values, err := r.mountSecret(sec.Name, sec.Keys, sec.Dir, sec.FromEnv)
		if err != nil {
			return err
		}
		r.cmdEnv["WURZEL_SECRET_"+envName(sec.Name)+"_DIR"] = dir
		for _, key := range sortedKeys(sec.ExportEnv) {
			v, ok := values[key]
			if !ok {
				return fail(CodeSecret, "secret %q: export_env names key %q, which the secret does not declare", sec.Name, key)
			}
			r.cmdEnv[sec.ExportEnv[key]] = v
		}
		r.log.Info("secret ready", "secret", sec.Name, "dir", dir, "keys", len(sec.Keys))
	}
	return nil
}

func (r *run) mountSecret(name string, keys []string, dir string, fromEnv map[string]string) (string, map[string]string, error) {
	switch {
	case dir != "":
		dir = r.abs(dir)
		values, err := r.readSecretDir(name, keys, dir)
		return dir, values, err
	case len(fromEnv) > 0:
		return r.writeSecretEnv(name, keys, fromEnv)
	default:
		return "", nil, fail(CodeSecret, "secret %q has neither a directory nor environment variables to read it from", name)
	}
}

// maxKeyFile bounds a secret's key file: Kubernetes' own limit for a whole
// Secret.
const maxKeyFile = 1 << 20

// readSecretDir checks that dir and each key file are there and readable.
func (r *run) readSecretDir(name string, keys []string, dir string) (map[string]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fail(CodeSecret, "secret %q: directory %s: %v", name, dir, describeFSError(err))
	}
	if !fi.IsDir() {
		return nil, fail(CodeSecret, "secret %q: %s is not a directory", name, dir)
	}
	values := map[string]string{}
	for _, key := range keys {
		path := filepath.Join(dir, key)
		data, err := regularfile.ReadFile(path, maxKeyFile)
		if err != nil {
			return nil, fail(CodeSecret, "secret %q: key file %s: %v", name, path, describeFSError(err))
		}
		r.redact.Add(string(data))
		values[key] = string(data)
	}
	return values, nil
}

// writeSecretEnv writes keys held in the runner's environment to a private
// directory (0700, files 0400), so that the command reads secrets the same
// way wherever it runs. The directory is on a memory file system when there
// is one, and goes when the step ends, however it ends (see privateDir).
func (r *run) writeSecretEnv(name string, keys []string, fromEnv map[string]string) (string, map[string]string, error) {
	values := map[string]string{}
	for _, key := range keys {
		variable, ok := fromEnv[key]
		if !ok {
			return "", nil, fail(CodeSecret, "secret %q: key %q has no environment variable", name, key)
		}
		r.hidden[variable] = true
		v, ok := r.env[variable]
		if !ok {
			return "", nil, fail(CodeSecret, "secret %q: key %q: environment variable %s is not set", name, key, variable)
		}
		r.redact.Add(v)
		values[key] = v
	}
	if r.secretDir == "" {
		dir, err := r.secretsDir()
		if err != nil {
			return "", nil, fail(CodeSecret, "secret %q: %v", name, err)
		}
		r.secretDir = dir
	}
	dir := filepath.Join(r.secretDir, name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", nil, fail(CodeSecret, "secret %q: %v", name, err)
	}
	for _, key := range keys {
		path := filepath.Join(dir, key)
		if err := os.WriteFile(path, []byte(values[key]), 0o400); err != nil {
			return "", nil, fail(CodeSecret, "secret %q: writing key %q: %v", name, key, describeFSError(err))
		}
	}
	return dir, values, nil
}

// checkVolumes checks that every declared volume is a directory.
func (r *run) checkVolumes() error {
	for _, v := range r.spec.Volumes {
		path := r.abs(v.Path)
		fi, err := os.Stat(path)
		if err != nil {
			return fail(CodeSecret, "volume %q: %s: %v", v.Name, path, describeFSError(err))
		}
		if !fi.IsDir() {
			return fail(CodeSecret, "volume %q: %s is not a directory", v.Name, path)
		}
		r.cmdEnv["WURZEL_VOLUME_"+envName(v.Name)] = path
		r.log.Info("volume ready", "volume", v.Name, "path", path, "read_only", v.ReadOnly)
	}
	return nil
}

// describeFSError says what is wrong with a path without repeating it.
func describeFSError(err error) string {
	var notRegular *regularfile.NotRegularError
	var tooLarge *regularfile.TooLargeError
	switch {
	case errors.As(err, &notRegular):
		return strings.TrimPrefix(err.Error(), notRegular.Path+" ")
	case errors.As(err, &tooLarge):
		return strings.TrimPrefix(err.Error(), tooLarge.Path+" ")
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "is not readable"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
