package srclimit

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxFileSize bounds a pipeline file or a variable file: far more than a
// hand-written one needs, and refused before anything is parsed.
const MaxFileSize = 32 << 20

// NotRegularError is ReadFile's error for anything but a regular file.
type NotRegularError struct {
	// Kind says what it is instead: "a named pipe", "a directory".
	Kind string
}

func (e *NotRegularError) Error() string { return "it is " + e.Kind + ", not a regular file" }

// TooLargeError is ReadFile's error for a file larger than its limit.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string { return fmt.Sprintf("it is larger than %d bytes", e.Limit) }

// ReadFile reads the regular file at path, refusing anything else and
// anything larger than limit bytes. It opens without blocking (a FIFO would
// wait for a writer forever), checks what it opened rather than what the
// path named a moment before, and reads through the limit, since the size a
// file reports bounds nothing (0 for /proc files, nothing for devices).
// Errors from the file system come back as they are (os.IsNotExist works on
// them).
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case info.IsDir():
		return nil, &NotRegularError{"a directory"}
	case !info.Mode().IsRegular():
		return nil, &NotRegularError{fileKind(info.Mode())}
	case info.Size() > limit:
		return nil, &TooLargeError{limit}
	}
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, &TooLargeError{limit}
	}
	return src, nil
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "a " + m.Type().String() + " file"
}
