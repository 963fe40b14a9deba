package guard

import (
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/wurzel-dev/wurzel/runner/internal/guardian"
	"github.com/wurzel-dev/wurzel/runner/internal/spawn"
)

// Guard is the runner's side of a guardian. Its methods are safe for
// concurrent use; on a nil Guard (a platform without process groups) they
// do nothing.
type Guard struct {
	mu      sync.Mutex
	w       *os.File
	proc    *spawn.Process // set before started is closed
	started chan struct{}  // closed once the guardian runs, or failed to
	err     error          // why it failed, set before started is closed
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
	// the runner and the command starting beside it need. Its standard
	// streams are /dev/null, the pipe its descriptor 3
	// (guardian.LifelineFD).
	attr := spawn.Attr{Env: []string{"GOMAXPROCS=1"}, Files: []*os.File{nil, nil, nil, r}, Sys: ownGroup()}
	g := &Guard{w: w, started: make(chan struct{})}
	go func() {
		defer close(g.started)
		defer r.Close()
		p, err := spawn.Start(exe, []string{guardian.Argv0}, attr)
		if err != nil {
			g.err = fmt.Errorf("starting the guardian: %w", err)
			return
		}
		g.proc = p
		lowerPriority(p.Pid)
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
func (g *Guard) Group(pgid int) { g.send(guardian.MsgGroup + " " + strconv.Itoa(pgid)) }

// Release says that process group pgid has ended.
func (g *Guard) Release(pgid int) { g.send(guardian.MsgRelease + " " + strconv.Itoa(pgid)) }

// Remove registers a path the guardian removes if the runner dies. The
// runner removes it itself when it ends normally.
func (g *Guard) Remove(path string) { g.send(guardian.MsgRemove + " " + strconv.Quote(path)) }

// Forget says that a registered path is gone: a guardian that serves many
// steps (wurzel run's) keeps only what is still there.
func (g *Guard) Forget(path string) { g.send(guardian.MsgForget + " " + strconv.Quote(path)) }

// Close tells the guardian that the runner ends normally: nothing
// registered is killed or removed by it. The guardian is reaped in the
// background, so that the runner does not wait for it to start up.
func (g *Guard) Close() {
	if g == nil {
		return
	}
	g.send(guardian.MsgDone)
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
			_, _ = g.proc.Wait()
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
