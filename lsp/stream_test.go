package lsp

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"strings"
	"testing"
	"time"
)

// TestInvalidMessagesKeepTheSession sends well-framed messages that are
// not valid JSON-RPC requests: each gets the error JSON-RPC asks for, and
// the session goes on to an orderly end.
func TestInvalidMessagesKeepTheSession(t *testing.T) {
	c := startServer(t, Options{})
	for _, tc := range []struct {
		body string
		code int
		id   *int
	}{
		{`{"jsonrpc":"2.0","id":1,"method":`, -32700, nil},
		{"\x00\xff not json", -32700, nil},
		{`{"jsonrpc":"2.0","method":"initialized","params":{}} trailing`, -32700, nil},
		{`[]`, -32600, nil},
		{`[{"jsonrpc":"2.0","id":9,"method":"shutdown"}]`, -32600, nil},
		{`42`, -32600, nil},
		{`{"jsonrpc":"2.0","id":7,"method":5}`, -32600, intPtr(7)},
		{`{"jsonrpc":"2.0","id":8}`, -32600, intPtr(8)},
		{`{"jsonrpc":"2.0","id":{"x":1},"method":"initialize"}`, -32600, nil},
	} {
		var reply chan rpcMessage
		if tc.id != nil {
			reply = make(chan rpcMessage, 1)
			c.mu.Lock()
			c.calls[*tc.id] = reply
			c.mu.Unlock()
		}
		if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(tc.body), tc.body); err != nil {
			t.Fatalf("%q: the server closed the stream: %v", tc.body, err)
		}
		m := c.nextReply(t, reply)
		if m.Error == nil {
			t.Fatalf("%q: answered without an error: %+v", tc.body, m)
		}
		var e struct{ Code int }
		if err := json.Unmarshal(*m.Error, &e); err != nil || e.Code != tc.code {
			t.Errorf("%q: error %s, want code %d", tc.body, *m.Error, tc.code)
		}
	}

	// A body over the limit is skipped, unread, and answered.
	big := strings.Repeat(" ", maxMessage+1)
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(big), big); err != nil {
		t.Fatal(err)
	}
	if m := c.nextReply(t, nil); m.Error == nil || !strings.Contains(string(*m.Error), "-32600") {
		t.Errorf("oversized message answered with %+v", m)
	}

	if caps := c.initialize("file:///nowhere"); caps["hoverProvider"] == nil {
		t.Errorf("after invalid messages, initialize answered %v", caps)
	}
	if err := c.shutdown(); err != nil {
		t.Fatalf("the session did not end in order: %v", err)
	}
}

// nextReply waits for the answer to a message: on reply when its id is
// known, else among the messages with no id.
func (c *client) nextReply(t *testing.T, reply chan rpcMessage) rpcMessage {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m := <-reply:
			return m
		case m, ok := <-c.notes:
			if !ok {
				t.Fatal("the server closed the stream")
			}
			if reply == nil && m.Method == "" {
				return m
			}
		case <-timeout:
			t.Fatal("no answer")
		}
	}
}

func intPtr(i int) *int { return &i }

// TestBrokenFramingEndsTheSession: after a header that cannot be read no
// message boundary can be trusted; the stream says why and reads no further,
// whatever the client sends.
func TestBrokenFramingEndsTheSession(t *testing.T) {
	for _, in := range []string{
		"Content-Length: 2\r\nX-Long: " + strings.Repeat("x", 1<<20) + "\r\n\r\n{}",
		"Content-Type: application/json\r\n\r\n{}",
		"Content-Length: -1\r\n\r\n",
		"no colon here\r\n\r\n",
	} {
		s := newStream(nopRWC{strings.NewReader(in)}, log.New(io.Discard, "", 0))
		var v map[string]any
		if err := s.ReadObject(&v); err == nil || err == io.EOF {
			t.Errorf("%.40q: ReadObject = %v, want a framing error", in, err)
		}
	}
}

type nopRWC struct{ io.Reader }

func (nopRWC) Write(p []byte) (int, error) { return len(p), nil }
func (nopRWC) Close() error                { return nil }
