package container

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wurzel-dev/wurzel/backend"
)

// ownership is how the step's user, which is not the user running wurzel,
// gets to write the host directories mounted into its container and to
// read its secrets.
type ownership int

const (
	// sharedUser: rootless podman maps the user running wurzel to the
	// step's user (--userns keep-id): what wurzel owns, the step owns.
	sharedUser ownership = iota
	// handOver: wurzel runs as root with a rootful engine; it hands the
	// directories to the step's user and the secrets to its fsGroup.
	handOver
	// openToAll: a rootful engine (docker) run by another user, who can
	// neither map nor hand over: the directories become writable by all.
	openToAll
)

func ownershipOf(e *Engine) ownership {
	switch {
	case os.Geteuid() == 0:
		return handOver
	case e.Kind == Podman:
		return sharedUser
	}
	return openToAll
}

// writable lets the step's user write in dir.
func (o ownership) writable(dir string, sec backend.Security) error {
	switch o {
	case handOver:
		return os.Chown(dir, int(sec.UID), int(sec.GID))
	case openToAll:
		return os.Chmod(dir, 0o777)
	}
	return nil
}

// Secret files are read-only for their owner and group, as Kubernetes
// makes the files of a secret volume with wurzel's defaultMode 0400 and an
// fsGroup: 0440, group fsGroup.
const (
	secretFileMode = 0o440
	secretDirMode  = 0o550
)

// stageSecrets writes the key files of the step's secrets into a private
// directory, one directory per secret, each mounted read-only at the
// secret's mount_path. The staged copies let the container see the same
// modes and owners whatever the host files have, and secrets read from
// environment variables become files as in a pod. Values never appear in
// an error.
func (r *Runtime) stageSecrets(secrets []secretSource, sec backend.Security) (string, []Mount, error) {
	if len(secrets) == 0 {
		return "", nil, nil
	}
	root, err := os.MkdirTemp("", "wurzel-secrets-")
	if err != nil {
		return "", nil, err
	}
	var mounts []Mount
	for _, src := range secrets {
		dir := filepath.Join(root, src.secret.Name)
		if err := r.stageSecret(dir, src, sec); err != nil {
			removeStaged(root)
			return "", nil, err
		}
		mounts = append(mounts, Mount{Source: dir, Target: src.secret.MountPath, ReadOnly: true})
	}
	return root, mounts, nil
}

func (r *Runtime) stageSecret(dir string, src secretSource, sec backend.Security) error {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return err
	}
	fileMode, dirMode := os.FileMode(secretFileMode), os.FileMode(secretDirMode)
	if r.owner == openToAll {
		fileMode, dirMode = 0o444, 0o555
	}
	for _, key := range src.secret.Keys {
		value, err := r.secretValue(src, key)
		if err != nil {
			return err
		}
		p := filepath.Join(dir, key)
		if err := os.WriteFile(p, value, 0o600); err != nil {
			return fmt.Errorf("secret %s: staging key %s: %v", src.secret.Name, key, err)
		}
		if err := r.handSecret(p, fileMode, sec); err != nil {
			return fmt.Errorf("secret %s: key %s: %v", src.secret.Name, key, err)
		}
	}
	return r.handSecret(dir, dirMode, sec)
}

// handSecret gives a staged file or directory its mode and, when wurzel
// runs as root, the fsGroup of the step.
func (r *Runtime) handSecret(p string, mode os.FileMode, sec backend.Security) error {
	if r.owner == handOver {
		if err := os.Chown(p, 0, int(sec.FSGroup)); err != nil {
			return err
		}
	}
	return os.Chmod(p, mode)
}

func (r *Runtime) secretValue(src secretSource, key string) ([]byte, error) {
	if src.fromEnv != nil {
		name := src.fromEnv[key]
		for _, kv := range r.environ {
			if len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name {
				return []byte(envValue(r.environ, name)), nil
			}
		}
		return nil, fmt.Errorf("secret %s: environment variable %s (key %s) is not set", src.secret.Name, name, key)
	}
	data, err := os.ReadFile(filepath.Join(src.dir, key))
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named below; the error never holds a value anyway
		}
		return nil, fmt.Errorf("secret %s: key file %s: %v", src.secret.Name, filepath.Join(src.dir, key), err)
	}
	return data, nil
}

// removeStaged removes staged secrets; their directories are read-only.
func removeStaged(root string) {
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	os.RemoveAll(root)
}
