package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"sync"
	"testing"
	"time"
)

// client is a minimal LSP client for tests, written against the base
// protocol directly (Content-Length framing, JSON-RPC 2.0), so that the
// tests exercise the server's framing as an editor does.
type client struct {
	t      *testing.T
	w      io.WriteCloser
	mu     sync.Mutex
	nextID int
	calls  map[int]chan rpcMessage
	notes  chan rpcMessage
	done   chan error // Serve's result
}

type rpcMessage struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      *int             `json:"id,omitempty"`
	Method  string           `json:"method,omitempty"`
	Params  json.RawMessage  `json:"params,omitempty"`
	Result  json.RawMessage  `json:"result,omitempty"`
	Error   *json.RawMessage `json:"error,omitempty"`
}

// pipeEnds joins two pipes into the server's stream.
type pipeEnds struct {
	io.Reader
	io.WriteCloser
}

func startServer(t *testing.T, opts Options) *client {
	t.Helper()
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	srv := New(opts)
	c := &client{t: t, w: fromClient, calls: map[int]chan rpcMessage{}, notes: make(chan rpcMessage, 100), done: make(chan error, 1)}
	go func() {
		c.done <- srv.Serve(context.Background(), pipeEnds{toServer, fromServer})
		fromServer.Close()
	}()
	go c.read(bufio.NewReader(toClient))
	t.Cleanup(func() { fromClient.Close() })
	return c
}

func (c *client) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			close(c.notes)
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			panic(fmt.Sprintf("bad Content-Length header %q", h.Get("Content-Length")))
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			close(c.notes)
			return
		}
		var m rpcMessage
		if err := json.Unmarshal(body, &m); err != nil {
			panic(fmt.Sprintf("server sent bad JSON: %v: %s", err, body))
		}
		if m.ID != nil && m.Method == "" {
			c.mu.Lock()
			ch := c.calls[*m.ID]
			delete(c.calls, *m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		c.notes <- m
	}
}

func (c *client) send(m any) {
	c.t.Helper()
	body, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("write to server: %v", err)
	}
}

// call sends a request and decodes its result into result.
func (c *client) call(method string, params, result any) {
	c.t.Helper()
	if err := c.callErr(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) callErr(method string, params, result any) error {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan rpcMessage, 1)
	c.calls[id] = ch
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	select {
	case m := <-ch:
		if m.Error != nil {
			return fmt.Errorf("error response: %s", *m.Error)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("decode result %s: %v", m.Result, err)
			}
		}
		return nil
	case <-time.After(10 * time.Second):
		c.t.Fatalf("%s: no response", method)
	}
	return nil
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// diagnosticsOf decodes a publishDiagnostics notification; ok is false for
// other messages.
func (c *client) diagnosticsOf(m rpcMessage) (uri string, diags []diagnostic, ok bool) {
	c.t.Helper()
	if m.Method != "textDocument/publishDiagnostics" {
		return "", nil, false
	}
	var p struct {
		URI         string       `json:"uri"`
		Diagnostics []diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal(m.Params, &p); err != nil {
		c.t.Fatal(err)
	}
	if p.Diagnostics == nil {
		c.t.Errorf("diagnostics of %s sent as null, want a list", p.URI)
	}
	return p.URI, p.Diagnostics, true
}

// publishedDiagnostics collects publishDiagnostics notifications until one
// has arrived for every uri in want, and returns the last list per uri.
func (c *client) publishedDiagnostics(want ...string) map[string][]diagnostic {
	c.t.Helper()
	got := map[string][]diagnostic{}
	missing := map[string]bool{}
	for _, u := range want {
		missing[u] = true
	}
	timeout := time.After(10 * time.Second)
	for len(missing) > 0 {
		select {
		case m, ok := <-c.notes:
			if !ok {
				c.t.Fatal("server closed the stream")
			}
			uri, diags, ok := c.diagnosticsOf(m)
			if !ok {
				continue
			}
			got[uri] = diags
			delete(missing, uri)
		case <-timeout:
			c.t.Fatalf("no diagnostics for %v", missing)
		}
	}
	return got
}

type position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lspRange struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

type diagnostic struct {
	Range    lspRange `json:"range"`
	Severity int      `json:"severity"`
	Message  string   `json:"message"`
	Source   string   `json:"source"`
}

// initialize runs the handshake.
func (c *client) initialize(rootURI string) map[string]any {
	c.t.Helper()
	var res struct {
		Capabilities map[string]any `json:"capabilities"`
	}
	c.call("initialize", map[string]any{"processId": nil, "rootUri": rootURI, "capabilities": map[string]any{}}, &res)
	c.notify("initialized", map[string]any{})
	return res.Capabilities
}

// shutdown ends the session the orderly way and returns Serve's result.
func (c *client) shutdown() error {
	c.t.Helper()
	c.call("shutdown", nil, nil)
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		return err
	case <-time.After(10 * time.Second):
		c.t.Fatal("server did not end after exit")
	}
	return nil
}
