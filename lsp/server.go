package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/lang"
)

// Options configure a Server.
type Options struct {
	// Load are the options every check loads pipelines with (variable
	// values from --var, --var-file and WURZEL_VAR_*), as for `wurzel
	// validate`.
	Load lang.Options
	// Targets are the back ends whose checks run with the front end's, as
	// `wurzel validate` runs them.
	Targets []backend.Target
	// Version is reported to the client as the server's version.
	Version string
	// Log receives the server's own problems (a failed write, a bad
	// message); nil discards them. Never the protocol stream.
	Log io.Writer
	// Debounce is how long typing must pause before an edited pipeline is
	// checked again; DefaultDebounce when zero. Requests that need the
	// check (completion, hover, ...) do not wait for it.
	Debounce time.Duration
}

// DefaultDebounce lets a burst of keystrokes cost one check: checking a
// 1,000-step pipeline takes longer than the gap between two keys.
const DefaultDebounce = 150 * time.Millisecond

// codeServerNotInitialized is the LSP error code for requests that come
// before initialize.
const codeServerNotInitialized = -32002

// Server is one language server session. Use New, then Serve.
type Server struct {
	opts    Options
	handler protocol.Handler
	logger  *log.Logger

	// mu guards the fields below. Requests are handled one at a time, but
	// tests and the benchmark call into the workspace directly too.
	mu sync.Mutex
	ws *workspace
	// shutdown is set by the shutdown request; exit then ends cleanly.
	shutdown bool
	// exited is set by the exit notification.
	exited bool
	// snippets is true when the client expands snippets in completions.
	snippets bool
	// timers are the pending debounced checks, by directory.
	timers map[string]*time.Timer
	// notify sends a notification to the client; set by the first message.
	notify func(method string, params any)

	// sendMu keeps notifications in the order their checks ran: it is taken
	// before mu is released.
	sendMu sync.Mutex
}

func snippetSupport(c protocol.ClientCapabilities) bool {
	td := c.TextDocument
	if td == nil || td.Completion == nil || td.Completion.CompletionItem == nil {
		return false
	}
	s := td.Completion.CompletionItem.SnippetSupport
	return s != nil && *s
}

// New returns a server with the given options.
func New(opts Options) *Server {
	out := opts.Log
	if out == nil {
		out = io.Discard
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	s := &Server{opts: opts, logger: log.New(out, "wurzel lsp: ", 0), timers: map[string]*time.Timer{}}
	s.ws = newWorkspace(opts.Load, opts.Targets)
	s.handler = protocol.Handler{
		Initialize:                 s.initialize,
		Initialized:                func(*glsp.Context, *protocol.InitializedParams) error { return nil },
		Shutdown:                   s.shutdownRequest,
		SetTrace:                   func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:        s.didOpen,
		TextDocumentDidChange:      s.didChange,
		TextDocumentDidSave:        s.didSave,
		TextDocumentDidClose:       s.didClose,
		TextDocumentCompletion:     s.completion,
		TextDocumentHover:          s.hover,
		TextDocumentDefinition:     s.definition,
		TextDocumentReferences:     s.references,
		TextDocumentDocumentSymbol: s.documentSymbol,
		TextDocumentFormatting:     s.formatting,
		TextDocumentPrepareRename:  s.prepareRename,
		TextDocumentRename:         s.rename,
		// Accepted and ignored: wurzel has no settings, and requests are
		// answered before the next message is read.
		CancelRequest:                   func(*glsp.Context, *protocol.CancelParams) error { return nil },
		WorkspaceDidChangeConfiguration: func(*glsp.Context, *protocol.DidChangeConfigurationParams) error { return nil },
		WorkspaceDidChangeWatchedFiles:  s.didChangeWatchedFiles,
	}
	return s
}

// Serve runs the session on stream (LSP base protocol framing:
// Content-Length headers, JSON-RPC 2.0 bodies) until the client sends exit
// or closes the stream. It returns an error when the session ended without
// an orderly shutdown, which `wurzel lsp` turns into exit code 1 as the
// protocol asks.
func (s *Server) Serve(ctx context.Context, stream io.ReadWriteCloser) error {
	conn := jsonrpc2.NewConn(ctx,
		newStream(stream, s.logger),
		jsonrpc2.HandlerWithError(s.handle).SuppressErrClosed(),
		jsonrpc2.SetLogger(s.logger))
	select {
	case <-conn.DisconnectNotify():
	case <-ctx.Done():
		conn.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exited = true // no debounced check may notify a closed connection
	for dir, t := range s.timers {
		t.Stop()
		delete(s.timers, dir)
	}
	if !s.shutdown {
		return fmt.Errorf("the client ended the session without shutdown")
	}
	return nil
}

// handle adapts a JSON-RPC request to glsp's dispatch, the way glsp's own
// server does, with notifications going back over the same connection.
func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (result any, err error) {
	// A bug in one request must not end the session and lose the user's
	// unsaved state in the server: report it as an internal error.
	defer func() {
		if r := recover(); r != nil {
			s.logger.Printf("internal error in %s: %v\n%s", req.Method, r, debug.Stack())
			result, err = nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error in %s: %v", req.Method, r)}
		}
	}()
	gctx := &glsp.Context{
		Method: req.Method,
		Notify: func(method string, params any) {
			if err := conn.Notify(ctx, method, params); err != nil {
				s.logger.Printf("notify %s: %v", method, err)
			}
		},
		Call: func(method string, params any, result any) {
			if err := conn.Call(ctx, method, params, result); err != nil {
				s.logger.Printf("call %s: %v", method, err)
			}
		},
	}
	s.mu.Lock()
	if s.notify == nil {
		s.notify = gctx.Notify
	}
	s.mu.Unlock()
	if req.Params != nil {
		gctx.Params = *req.Params
	} else {
		gctx.Params = json.RawMessage("null")
	}
	if req.Method == protocol.MethodExit {
		s.mu.Lock()
		s.exited = true
		s.mu.Unlock()
		return nil, conn.Close()
	}
	if !s.handler.IsInitialized() && req.Method != protocol.MethodInitialize {
		if req.Notif {
			return nil, nil // the protocol says to drop them
		}
		return nil, &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server is not initialized: send initialize first"}
	}
	result, validMethod, validParams, err := s.handler.Handle(gctx)
	s.sendOutbox()
	switch {
	case !validMethod && req.Notif:
		// Notifications the server does not know are ignored, as the
		// protocol allows; there is no one to answer.
		return nil, nil
	case !validMethod:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		msg := "invalid params"
		if err != nil {
			msg = err.Error()
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: msg}
	case err != nil:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
	}
	return result, nil
}

func (s *Server) initialize(_ *glsp.Context, p *protocol.InitializeParams) (any, error) {
	s.mu.Lock()
	s.snippets = snippetSupport(p.Capabilities)
	s.mu.Unlock()
	change := protocol.TextDocumentSyncKindIncremental
	version := s.opts.Version
	return protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: &protocol.True,
				Change:    &change,
				Save:      protocol.SaveOptions{IncludeText: &protocol.False},
			},
			CompletionProvider:         &protocol.CompletionOptions{TriggerCharacters: []string{"."}},
			HoverProvider:              true,
			DefinitionProvider:         true,
			ReferencesProvider:         true,
			DocumentSymbolProvider:     true,
			DocumentFormattingProvider: true,
			RenameProvider:             protocol.RenameOptions{PrepareProvider: &protocol.True},
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "wurzel", Version: &version},
	}, nil
}

func (s *Server) shutdownRequest(*glsp.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdown = true
	return nil
}

func (s *Server) didOpen(ctx *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	return s.update(ctx, p.TextDocument.URI, func(ws *workspace, path string) {
		ws.open(p.TextDocument.URI, path, []byte(p.TextDocument.Text))
	})
}

// didChange applies an edit and checks the pipeline once typing pauses.
func (s *Server) didChange(_ *glsp.Context, p *protocol.DidChangeTextDocumentParams) error {
	path, err := uriToPath(p.TextDocument.URI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEventWhole:
			s.ws.open(p.TextDocument.URI, path, []byte(c.Text))
		case protocol.TextDocumentContentChangeEvent:
			s.ws.applyChange(p.TextDocument.URI, path, c)
		}
	}
	dir := dirOf(path)
	s.ws.stale[dir] = true
	if t := s.timers[dir]; t != nil {
		t.Reset(s.opts.Debounce)
	} else {
		s.timers[dir] = time.AfterFunc(s.opts.Debounce, func() { s.checkStale(dir) })
	}
	return nil
}

// checkStale is a debounced check: it runs when typing in dir has paused,
// unless a request has checked dir since.
func (s *Server) checkStale(dir string) {
	s.mu.Lock()
	delete(s.timers, dir)
	if !s.ws.stale[dir] || s.exited {
		s.mu.Unlock()
		return
	}
	pubs := s.ws.check(dir)
	s.sendLocked(pubs)
}

// sendOutbox sends what checks forced by a request produced.
func (s *Server) sendOutbox() {
	s.mu.Lock()
	s.sendLocked(s.ws.takeOutbox())
}

// sendLocked sends pubs in order with other checks' notifications. It is
// called with mu held and releases it.
func (s *Server) sendLocked(pubs []*protocol.PublishDiagnosticsParams) {
	notify := s.notify
	s.sendMu.Lock()
	s.mu.Unlock()
	defer s.sendMu.Unlock()
	if notify == nil {
		return
	}
	for _, p := range pubs {
		notify(protocol.ServerTextDocumentPublishDiagnostics, p)
	}
}

func (s *Server) didSave(ctx *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	return s.update(ctx, p.TextDocument.URI, func(*workspace, string) {})
}

func (s *Server) didClose(ctx *glsp.Context, p *protocol.DidCloseTextDocumentParams) error {
	return s.update(ctx, p.TextDocument.URI, func(ws *workspace, path string) { ws.close(path) })
}

// didChangeWatchedFiles re-checks the directories of pipeline files that
// changed on disk (created, changed or deleted by another program), for
// clients that watch files.
func (s *Server) didChangeWatchedFiles(ctx *glsp.Context, p *protocol.DidChangeWatchedFilesParams) error {
	dirs := map[string]bool{}
	for _, ev := range p.Changes {
		if path, err := uriToPath(ev.URI); err == nil && lang.IsPipelineFile(path) {
			dirs[dirOf(path)] = true
		}
	}
	for _, dir := range sortedPaths(dirs) {
		s.mu.Lock()
		if s.ws.checks[dir] == nil && !s.ws.stale[dir] {
			s.mu.Unlock() // no open document there
			continue
		}
		s.sendLocked(s.ws.check(dir))
	}
	return nil
}

// update applies a document event, re-checks the document's pipeline
// directory and publishes the diagnostics that changed.
func (s *Server) update(ctx *glsp.Context, uri protocol.DocumentUri, apply func(*workspace, string)) error {
	path, err := uriToPath(uri)
	if err != nil {
		return err
	}
	s.mu.Lock()
	apply(s.ws, path)
	s.sendLocked(s.ws.check(dirOf(path)))
	return nil
}
