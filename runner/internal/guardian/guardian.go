package guardian

import (
	"errors"
	"os"
	"strconv"
	"time"
)

// Argv0 marks a guardian: the runner starts its own executable with it as
// the program name, and no other argument.
const Argv0 = "wurzel-guardian"

// LifelineFD is the descriptor of the pipe's read end in the guardian.
const LifelineFD = 3

func init() {
	if len(os.Args) == 1 && os.Args[0] == Argv0 {
		os.Exit(serve(os.NewFile(LifelineFD, "lifeline")))
	}
}

// gather is how long the guardian lets the runner's messages gather before
// it reads them. It does nothing with them until the runner ends, and a
// step's whole life often fits in the first wait: read as they come, each
// would wake the guardian while the step starts and its command runs, on a
// processor they need.
const gather = 10 * time.Millisecond

// serve is the guardian: it collects what the runner registers until the
// runner says it is done, or dies; the runner learns nothing from it, so
// it reads the pipe every gather at most. A runner that dies is acted on
// that much later; one that writes faster than the guardian reads waits
// on the pipe only past 64 KiB of messages in one wait, about a thousand.
//
// The guardian runs in a process group of its own: a terminal's Ctrl-C
// and hang-up, which are for the runner, do not reach it.
func serve(lifeline *os.File) int {
	w := watch{groups: map[int]bool{}, paths: map[string]bool{}}
	chunk := make([]byte, 4096)
	var pending []byte
	full := false
	for {
		if !full {
			time.Sleep(gather)
		}
		n, err := lifeline.Read(chunk)
		// A full chunk says there may be more to read now.
		full = n == len(chunk)
		pending = append(pending, chunk[:n]...)
		for {
			line, rest, ok := cutLine(pending)
			if !ok {
				break
			}
			pending = rest
			if w.apply(line) {
				return 0
			}
		}
		if err != nil {
			// The runner died: the kernel closed its end of the pipe.
			return w.cleanUp()
		}
	}
}

// cutLine cuts the first line off b.
func cutLine(b []byte) (line string, rest []byte, ok bool) {
	for i, c := range b {
		if c == '\n' {
			return string(b[:i]), b[i+1:], true
		}
	}
	return "", b, false
}

// watch is what the guardian cleans up if the runner dies.
type watch struct {
	groups map[int]bool
	paths  map[string]bool
}

// The messages, one per line: "group PGID" and "release PGID" register and
// release a process group, "remove PATH" and "forget PATH" (PATH quoted as
// strconv.Quote does) a path, and "done" ends the guardian.
const (
	MsgGroup   = "group"
	MsgRelease = "release"
	MsgRemove  = "remove"
	MsgForget  = "forget"
	MsgDone    = "done"
)

// apply records one message; it reports true for MsgDone.
func (w *watch) apply(msg string) (done bool) {
	verb, arg := msg, ""
	for i := 0; i < len(msg); i++ {
		if msg[i] == ' ' {
			verb, arg = msg[:i], msg[i+1:]
			break
		}
	}
	switch verb {
	case MsgGroup:
		if pgid, err := strconv.Atoi(arg); err == nil && pgid > 1 {
			w.groups[pgid] = true
		}
	case MsgRelease:
		if pgid, err := strconv.Atoi(arg); err == nil {
			delete(w.groups, pgid)
		}
	case MsgRemove, MsgForget:
		if p, err := strconv.Unquote(arg); err == nil && p != "" {
			if verb == MsgRemove {
				w.paths[p] = true
			} else {
				delete(w.paths, p)
			}
		}
	case MsgDone:
		return true
	}
	return false
}

// cleanUp kills every group and removes every path still registered.
func (w *watch) cleanUp() int {
	for pgid := range w.groups {
		killGroup(pgid)
	}
	var errs []error
	for p := range w.paths {
		errs = append(errs, os.RemoveAll(p))
	}
	if errors.Join(errs...) != nil {
		return 1
	}
	return 0
}
