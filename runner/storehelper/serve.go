package storehelper

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// Serve answers the requests read from in with store, writing the answers
// to out, until in ends; then it cancels the requests in flight and
// returns once they have stopped. Each request runs on its own goroutine.
func Serve(ctx context.Context, store objstore.Store, in io.Reader, out io.Writer) error {
	ctx, cancelAll := context.WithCancel(ctx)
	defer cancelAll()
	w := &answerer{enc: json.NewEncoder(out)}
	if err := w.send(hello{Version: Version}); err != nil {
		return err
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		cancels = map[uint64]context.CancelFunc{}
	)
	defer wg.Wait()
	dec := json.NewDecoder(bufio.NewReader(in))
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			cancelAll()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("reading a request: %w", err)
		}
		if req.Op == opCancel {
			mu.Lock()
			if cancel := cancels[req.ID]; cancel != nil {
				cancel()
			}
			mu.Unlock()
			continue
		}
		rctx, cancel := context.WithCancel(ctx)
		mu.Lock()
		cancels[req.ID] = cancel
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := handle(rctx, store, &req)
			mu.Lock()
			delete(cancels, req.ID)
			mu.Unlock()
			cancel()
			// A runner gone cannot be told; the answer is dropped.
			_ = w.send(resp)
		}()
	}
}

// handle runs one request.
func handle(ctx context.Context, store objstore.Store, req *request) *response {
	resp := &response{ID: req.ID}
	var err error
	switch req.Op {
	case opRead:
		resp.Data, err = store.ReadSmall(ctx, req.Loc, req.Max)
	case opWrite:
		err = store.WriteSmall(ctx, req.Loc, req.Data)
	case opRemove:
		err = store.Remove(ctx, req.Loc)
	case opDownload:
		if req.Want == nil {
			err = errors.New("download without the file it should give")
			break
		}
		err = store.Download(ctx, req.Loc, req.Rel, req.Dst, *req.Want)
	case opUpload:
		resp.Files, err = store.Upload(ctx, req.Loc, req.Root, req.Kind, req.Rels)
	default:
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		resp.Data, resp.Files = nil, nil
		resp.Error = toWire(err)
	}
	return resp
}

// answerer writes one JSON value per line, one at a time.
type answerer struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (a *answerer) send(v any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.enc.Encode(v)
}
