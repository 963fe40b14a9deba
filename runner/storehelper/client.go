package storehelper

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// Client is an objstore.Store whose calls a helper process answers. The
// helper starts with the first call, not before: a runner makes its store
// before it knows whether a step will use it. Calls may run at once.
type Client struct {
	argv    []string
	environ []string

	startOnce sync.Once
	startErr  error
	cmd       *exec.Cmd
	stdin     io.WriteCloser
	stderr    *tail
	exited    chan struct{} // closed once the helper has exited
	waitErr   error         // how it exited

	writeMu sync.Mutex
	enc     *json.Encoder

	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]chan *response
	dead    error // why no more answers will come
}

// New returns the store that the helper started as argv (its path first)
// with the environment environ serves.
func New(argv []string, environ []string) *Client {
	return &Client{argv: argv, environ: environ, pending: map[uint64]chan *response{}}
}

// ReadSmall reads a small object of at most max bytes.
func (c *Client) ReadSmall(ctx context.Context, loc string, max int64) ([]byte, error) {
	resp, err := c.call(ctx, &request{Op: opRead, Loc: loc, Max: max})
	if err != nil {
		return nil, err
	}
	return resp.Data, nil
}

// WriteSmall writes a small object whole.
func (c *Client) WriteSmall(ctx context.Context, loc string, data []byte) error {
	_, err := c.call(ctx, &request{Op: opWrite, Loc: loc, Data: data})
	return err
}

// Remove deletes an object; a missing one is not an error.
func (c *Client) Remove(ctx context.Context, loc string) error {
	_, err := c.call(ctx, &request{Op: opRemove, Loc: loc})
	return err
}

// Download fetches the object at loc (its file rel, when not empty) into
// the new file dst and checks it against want.
func (c *Client) Download(ctx context.Context, loc, rel, dst string, want manifest.File) error {
	dst, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, &request{Op: opDownload, Loc: loc, Rel: rel, Dst: dst, Want: &want})
	return err
}

// Upload sends the files rels of the output at root to loc and returns
// their sizes and sha256.
func (c *Client) Upload(ctx context.Context, loc, root, kind string, rels []string) ([]manifest.File, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	resp, err := c.call(ctx, &request{Op: opUpload, Loc: loc, Root: root, Kind: kind, Rels: rels})
	if err != nil {
		return nil, err
	}
	if len(resp.Files) != len(rels) {
		return nil, fmt.Errorf("%s answered %d files for %d", c.name(), len(resp.Files), len(rels))
	}
	return resp.Files, nil
}

// Close ends the helper, once the calls in flight have had their answers,
// and waits for it to exit. A client never started has nothing to close.
func (c *Client) Close() error {
	c.startOnce.Do(func() { c.startErr = errors.New("the store is closed") })
	if c.exited == nil {
		return nil
	}
	c.stdin.Close()
	<-c.exited
	if c.waitErr != nil {
		return fmt.Errorf("%s: %v%s", c.name(), c.waitErr, c.stderr.suffix())
	}
	return nil
}

// call sends req and waits for its answer. When ctx ends first the helper
// is asked to cancel the request, and its answer is still awaited: a
// download or upload has stopped touching the step's files when call
// returns.
func (c *Client) call(ctx context.Context, req *request) (*response, error) {
	if err := c.start(); err != nil {
		return nil, err
	}
	answer := make(chan *response, 1)
	c.mu.Lock()
	if c.dead != nil {
		c.mu.Unlock()
		return nil, c.dead
	}
	c.nextID++
	req.ID = c.nextID
	c.pending[req.ID] = answer
	c.mu.Unlock()
	if err := c.send(req); err != nil {
		c.forget(req.ID)
		return nil, c.deadOr(err)
	}
	var resp *response
	select {
	case resp = <-answer:
	case <-ctx.Done():
		_ = c.send(&request{ID: req.ID, Op: opCancel})
		resp = <-answer
	}
	if resp == nil { // readAnswers has closed the call's channel
		return nil, c.deadErr()
	}
	if resp.Error != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: %s", ctx.Err(), resp.Error.Message)
		}
		return nil, resp.Error.err()
	}
	return resp, nil
}

func (c *Client) send(req *request) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	return c.enc.Encode(req)
}

func (c *Client) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// deadOr is why the helper stopped answering, once its output has ended:
// a request that could not be sent means it has gone or is going.
func (c *Client) deadOr(err error) error {
	<-c.exited
	if dead := c.deadErr(); dead != nil {
		return dead
	}
	return fmt.Errorf("%s: %v", c.name(), err)
}

func (c *Client) deadErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dead
}

func (c *Client) name() string { return filepath.Base(c.argv[0]) }

// start starts the helper and checks its greeting.
func (c *Client) start() error {
	c.startOnce.Do(func() { c.startErr = c.launch() })
	return c.startErr
}

func (c *Client) launch() error {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	cmd.Env = c.environ
	cmd.SysProcAttr = ownGroup()
	c.stderr = &tail{max: 8 << 10}
	cmd.Stderr = c.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the store helper: %w", err)
	}
	dec := json.NewDecoder(bufio.NewReader(stdout))
	var h hello
	if err := dec.Decode(&h); err != nil || h.Version != Version {
		stdin.Close()
		got := fmt.Sprintf("it said %q", h.Version)
		if err != nil {
			got = err.Error()
		}
		if werr := cmd.Wait(); werr != nil {
			got += ", " + werr.Error()
		}
		return fmt.Errorf("%s does not serve %s (%s)%s", c.argv[0], Version, got, c.stderr.suffix())
	}
	c.cmd, c.stdin, c.enc = cmd, stdin, json.NewEncoder(stdin)
	c.exited = make(chan struct{})
	go c.readAnswers(dec)
	return nil
}

// readAnswers hands each answer to its call until the helper's output
// ends; then it waits for the helper to exit, and every call still
// waiting learns that no answer will come, and why.
func (c *Client) readAnswers(dec *json.Decoder) {
	defer close(c.exited)
	for {
		resp := new(response)
		if err := dec.Decode(resp); err != nil {
			// Wait also collects the rest of the helper's stderr.
			c.waitErr = c.cmd.Wait()
			why := err.Error()
			if c.waitErr != nil {
				why = c.waitErr.Error()
			}
			c.mu.Lock()
			// Transient: whatever ended it (the kernel's OOM killer, a
			// signal), the step run again starts a new one.
			c.dead = &objstore.Transient{Err: fmt.Errorf("%s stopped answering (%s)%s", c.name(), why, c.stderr.suffix())}
			for id, answer := range c.pending {
				close(answer)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		c.mu.Lock()
		answer := c.pending[resp.ID]
		delete(c.pending, resp.ID)
		c.mu.Unlock()
		if answer != nil {
			answer <- resp
		}
	}
}

// tail keeps the last max bytes written to it: the helper's last words.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = t.buf[over:]
	}
	return len(p), nil
}

// suffix is ": " and the last line written, or "".
func (t *tail) suffix() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if s == "" {
		return ""
	}
	return ": " + s
}
