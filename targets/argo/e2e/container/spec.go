package container

import (
	"encoding/json"
	"os"
)

// Spec is one container to start.
type Spec struct {
	// Lower holds the image's root file system, the overlay's lower
	// directory: "/" for the host's, the stand-in of every step image.
	Lower string
	// Scratch is a directory private to the container: its writable layer
	// and mount points live here.
	Scratch      string
	ReadOnlyRoot bool
	Mounts       []Mount
	// TerminationLog is the host file mounted at /dev/termination-log.
	TerminationLog string
	Hostname       string
	UID, GID       uint32
	Groups         []uint32
	NoNewPrivs     bool
	Env            []string
	WorkingDir     string
	Args           []string
}

// Mount is a bind mount of a host file or directory into the container.
type Mount struct {
	Source, Target string
	ReadOnly       bool
}

// Write stores s as JSON in file.
func (s *Spec) Write(file string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o600)
}

// Read loads a Spec written by Write.
func Read(file string) (*Spec, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var s Spec
	return &s, json.Unmarshal(data, &s)
}
