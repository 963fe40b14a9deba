package spec

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// EnvSpec is the environment variable a step spec may come in, when it is
// given neither as a file nor inline.
const EnvSpec = "WURZEL_STEP_SPEC"

// EnvRunID is the environment variable the run id may come in.
const EnvRunID = "WURZEL_RUN_ID"

// Load reads and parses the step spec from exactly one of: the file named
// file, the inline JSON document inline, or the variable EnvSpec of the
// environment environ. Both entry points of the runner (`wurzel step exec`
// and wurzel-step) take the spec this way.
func Load(file, inline string, environ []string) (*Step, error) {
	fromEnv := Getenv(environ, EnvSpec)
	var data []byte
	switch {
	case file != "" && inline != "":
		return nil, errors.New("--spec and --spec-json are mutually exclusive")
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading the step spec: %w", err)
		}
		data = b
	case inline != "":
		data = []byte(inline)
	case fromEnv != "":
		data = []byte(fromEnv)
	default:
		return nil, errors.New("no step spec: pass --spec FILE, --spec-json JSON or set " + EnvSpec)
	}
	st, err := Parse(data)
	if err != nil {
		if file != "" {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, err
	}
	return st, nil
}

// Getenv returns the value of key in environ ("NAME=value" entries), the
// last one when it is repeated, as in a process's environment.
func Getenv(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}
