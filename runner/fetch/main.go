package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/wurzel-dev/wurzel/runner"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// Exit codes of the helper.
const (
	exitFetched = 0 // the source is at dst
	exitFailed  = 1 // the answer on stdout says why
	exitUsage   = 2 // no valid request; the reason is on stderr
)

// maxRequest bounds the request read from stdin.
const maxRequest = 1 << 20

const usage = `usage: wurzel-fetch < REQUEST.json

wurzel-fetch downloads one go-getter source for the wurzel runner. It reads
a JSON fetch request (version %q) on stdin and writes one JSON result on
stdout. The runner starts it; it is not meant to be run by hand.
`

// Main is the fetch helper's program: one request on stdin, one result on
// stdout. SIGTERM and SIGINT cancel the download, which then reports a
// retryable failure.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, usage, spec.FetchVersion)
		if args[0] == "-h" || args[0] == "--help" {
			return exitFetched
		}
		return exitUsage
	}
	data, err := io.ReadAll(io.LimitReader(stdin, maxRequest+1))
	if err == nil && len(data) > maxRequest {
		err = fmt.Errorf("the request is larger than %d bytes", maxRequest)
	}
	var req *spec.FetchRequest
	if err == nil {
		req, err = spec.ParseFetchRequest(data)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wurzel-fetch: %s\n", (*runner.Redactor)(nil).String(err.Error()))
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	res := Fetch(ctx, req)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "wurzel-fetch: writing the result: %v\n", err)
		return exitFailed
	}
	if res.Error != "" {
		return exitFailed
	}
	return exitFetched
}
