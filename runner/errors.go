package runner

import (
	"errors"
	"fmt"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// The runner's exit codes, defined with the step spec (package spec) that
// back ends and the runner share; repeated here for the runner's own code
// and its library users.
const (
	CodeBadSpec       = spec.CodeBadSpec
	CodeSecret        = spec.CodeSecret
	CodeInput         = spec.CodeInput
	CodeOutput        = spec.CodeOutput
	CodeTimeout       = spec.CodeTimeout
	CodeRetryable     = spec.CodeRetryable
	CodeNotExecutable = spec.CodeNotExecutable
	CodeNotFound      = spec.CodeNotFound
)

// Error is a failed step with the exit code wurzel step exec ends with. Its
// message has already been redacted: it never holds secret values or URL
// credentials.
type Error struct {
	Code int
	msg  string
	err  error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the underlying error, for errors.Is checks in tests and
// callers; print Error instead, which is redacted.
func (e *Error) Unwrap() error { return e.err }

// ExitCode returns the exit code for err: 0 for nil, the Code of an *Error,
// and 1 for anything else.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 1
}

// failure is an error of one phase, tagged with its exit code before it is
// redacted and turned into an *Error at the top of Exec.
type failure struct {
	code int
	err  error
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func fail(code int, format string, args ...any) error {
	return &failure{code: code, err: fmt.Errorf(format, args...)}
}

func wrapFail(code int, err error) error {
	if err == nil {
		return nil
	}
	var f *failure
	if errors.As(err, &f) {
		return err
	}
	return &failure{code: code, err: err}
}

// codeOf returns the exit code a phase error carries, or fallback.
func codeOf(err error, fallback int) int {
	var f *failure
	if errors.As(err, &f) {
		return f.code
	}
	return fallback
}
