package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// JSON-RPC 2.0 error codes for messages that are not requests.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
)

// maxMessage bounds the body of one message. A larger one is skipped,
// unread, and answered with an error.
const maxMessage = 64 << 20

// stream is the LSP base protocol (Content-Length framed JSON-RPC 2.0
// messages) for jsonrpc2.Conn. Unlike jsonrpc2's own codec it keeps the
// session alive across a well-framed message whose body is not valid JSON
// or not a JSON-RPC message: it answers -32700 (parse error) or -32600
// (invalid request), as JSON-RPC asks, and reads on. Only broken framing,
// after which no message boundary can be trusted, ends the session.
type stream struct {
	conn   io.Closer
	r      *bufio.Reader
	mu     sync.Mutex // guards w: replies and notifications interleave
	w      *bufio.Writer
	logger *log.Logger
}

func newStream(rwc io.ReadWriteCloser, logger *log.Logger) *stream {
	return &stream{conn: rwc, r: bufio.NewReader(rwc), w: bufio.NewWriter(rwc), logger: logger}
}

// WriteObject sends one message.
func (s *stream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	if _, err := s.w.Write(data); err != nil {
		return err
	}
	return s.w.Flush()
}

// ReadObject reads the next valid message into v, answering the invalid
// ones on the way.
func (s *stream) ReadObject(v any) error {
	for {
		body, err := s.readFrame()
		if err != nil {
			return err
		}
		if body == nil {
			continue // too large: answered already
		}
		// A fresh value each time: a failed decoding may leave v half set.
		fresh := reflect.New(reflect.TypeOf(v).Elem())
		err = json.Unmarshal(body, fresh.Interface())
		if err == nil {
			reflect.ValueOf(v).Elem().Set(fresh.Elem())
			return nil
		}
		if err := s.reject(body, err); err != nil {
			return err
		}
	}
}

// readFrame reads the headers and the body of one message. It returns a
// nil body for a message over maxMessage, which it skips and answers.
func (s *stream) readFrame() ([]byte, error) {
	length := -1
	for {
		// A header line longer than the reader's buffer is no header: read
		// on and it would fill the memory.
		raw, err := s.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("header line longer than %d bytes", s.r.Size())
		}
		if err != nil {
			return nil, err
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, errors.New("message without a Content-Length header")
	}
	if length > maxMessage {
		if _, err := io.CopyN(io.Discard, s.r, int64(length)); err != nil {
			return nil, err
		}
		msg := fmt.Sprintf("message of %d bytes is larger than the limit of %d", length, maxMessage)
		s.logger.Print(msg)
		return nil, s.answer(nil, codeInvalidRequest, msg)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// reject answers a message that is not a valid request: -32700 when the
// body is not JSON, else -32600 with the request's id when it has one.
func (s *stream) reject(body []byte, cause error) error {
	if !json.Valid(body) {
		s.logger.Printf("parse error: %v", cause)
		return s.answer(nil, codeParseError, "parse error: "+cause.Error())
	}
	var withID struct {
		ID json.RawMessage `json:"id"`
	}
	var id json.RawMessage
	if json.Unmarshal(body, &withID) == nil && validID(withID.ID) {
		id = withID.ID
	}
	s.logger.Printf("invalid request: %v", cause)
	return s.answer(id, codeInvalidRequest, "invalid request: not a JSON-RPC 2.0 request, notification or response")
}

// validID accepts the ids JSON-RPC allows: a string or a number.
func validID(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch v.(type) {
	case string, float64:
		return true
	}
	return false
}

// answer sends an error response; a nil id is JSON null.
func (s *stream) answer(id json.RawMessage, code int, msg string) error {
	if id == nil {
		id = json.RawMessage("null")
	}
	type rpcError struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	return s.WriteObject(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   rpcError        `json:"error"`
	}{"2.0", id, rpcError{code, msg}})
}

func (s *stream) Close() error { return s.conn.Close() }
