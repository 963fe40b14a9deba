package guard

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// argv0 marks a guardian: the runner starts its own executable with it as
// the program name.
const argv0 = "wurzel-guardian"

// lifelineFD is the descriptor of the pipe's read end in the guardian.
const lifelineFD = 3

func init() {
	if len(os.Args) == 1 && os.Args[0] == argv0 {
		os.Exit(serve(os.NewFile(lifelineFD, "lifeline")))
	}
}

// Guard is the runner's side of a guardian. Its methods are safe for
// concurrent use; on a nil Guard (a platform without process groups) they
// do nothing.
type Guard struct {
	mu      sync.Mutex
	w       *os.File
	cmd     *exec.Cmd
	started chan struct{} // closed once the guardian runs, or failed to
	err     error         // why it failed, set before started is closed
}

// Start starts a guardian for the calling process. Starting it takes a fork
// and an exec, which run while the caller goes on; Ready waits for them.
// Messages sent before are kept in the pipe.
func Start() (*Guard, error) {
	if !supported {
		return nil, nil
	}
	exe, err := self()
	if err != nil {
		return nil, fmt.Errorf("starting the guardian: %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting the guardian: %w", err)
	}
	// The guardian gets no environment of the runner's (secrets may be in
	// it), and one processor: it reads a pipe and, at most, kills and
	// removes. Go's start-up in it then costs less of the CPU time that
	// the runner and the command starting beside it need.
	cmd := &exec.Cmd{Path: exe, Args: []string{argv0}, Env: []string{"GOMAXPROCS=1"}, ExtraFiles: []*os.File{r}}
	cmd.SysProcAttr = ownGroup()
	g := &Guard{w: w, cmd: cmd, started: make(chan struct{})}
	go func() {
		defer close(g.started)
		defer r.Close()
		if err := cmd.Start(); err != nil {
			g.err = fmt.Errorf("starting the guardian: %w", err)
			return
		}
		lowerPriority(cmd.Process.Pid)
	}()
	return g, nil
}

// Ready waits until the guardian runs. Nothing that only the guardian can
// stop may start before.
func (g *Guard) Ready() error {
	if g == nil {
		return nil
	}
	<-g.started
	return g.err
}

// Group registers process group pgid: the guardian kills it if the runner
// dies before it calls Release.
func (g *Guard) Group(pgid int) { g.send("group " + strconv.Itoa(pgid)) }

// Release says that process group pgid has ended.
func (g *Guard) Release(pgid int) { g.send("release " + strconv.Itoa(pgid)) }

// Remove registers a path the guardian removes if the runner dies. The
// runner removes it itself when it ends normally.
func (g *Guard) Remove(path string) { g.send("remove " + strconv.Quote(path)) }

// Forget says that a registered path is gone: a guardian that serves many
// steps (wurzel run's) keeps only what is still there.
func (g *Guard) Forget(path string) { g.send("forget " + strconv.Quote(path)) }

// Close tells the guardian that the runner ends normally: nothing
// registered is killed or removed by it. The guardian is reaped in the
// background, so that the runner does not wait for it to start up.
func (g *Guard) Close() {
	if g == nil {
		return
	}
	g.send("done")
	g.mu.Lock()
	w := g.w
	g.w = nil
	g.mu.Unlock()
	if w == nil {
		return
	}
	w.Close()
	go func() {
		if g.Ready() == nil {
			_ = g.cmd.Wait()
		}
	}()
}

// send writes one message. A guardian that is gone cannot be helped: the
// write fails and the runner goes on without it.
func (g *Guard) send(msg string) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.w != nil {
		_, _ = g.w.WriteString(msg + "\n")
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
// that much later; one that writes faster than the guardian reads would
// wait on the pipe only past 64 KiB of messages in one wait, about a
// thousand.
func serve(lifeline *os.File) int {
	// A terminal's Ctrl-C and hang-up are for the runner, which stops the
	// command itself; the guardian stays until it knows how that ended.
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP)
	w := watch{groups: map[int]bool{}, paths: map[string]bool{}}
	chunk := make([]byte, 64<<10)
	var pending []byte
	for {
		time.Sleep(gather)
		n, err := lifeline.Read(chunk)
		pending = append(pending, chunk[:n]...)
		for {
			line, rest, ok := bytes.Cut(pending, []byte{'\n'})
			if !ok {
				break
			}
			pending = rest
			if w.apply(string(line)) {
				return 0
			}
		}
		if err != nil {
			// The runner died: the kernel closed its end of the pipe.
			return w.cleanUp()
		}
	}
}

// watch is what the guardian cleans up if the runner dies.
type watch struct {
	groups map[int]bool
	paths  map[string]bool
}

// apply records one message; it reports true for "done".
func (w *watch) apply(msg string) (done bool) {
	verb, arg, _ := strings.Cut(msg, " ")
	switch verb {
	case "group":
		if pgid, err := strconv.Atoi(arg); err == nil && pgid > 1 {
			w.groups[pgid] = true
		}
	case "release":
		if pgid, err := strconv.Atoi(arg); err == nil {
			delete(w.groups, pgid)
		}
	case "remove", "forget":
		if p, err := strconv.Unquote(arg); err == nil && p != "" {
			if verb == "remove" {
				w.paths[p] = true
			} else {
				delete(w.paths, p)
			}
		}
	case "done":
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
