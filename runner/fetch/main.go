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
	"github.com/wurzel-dev/wurzel/runner/s3store"
	"github.com/wurzel-dev/wurzel/runner/spec"
	"github.com/wurzel-dev/wurzel/runner/storehelper"
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
       wurzel-fetch -store s3

wurzel-fetch downloads one go-getter source for the wurzel runner. It reads
a JSON fetch request (version %q) on stdin and writes one JSON result on
stdout. With -store s3 it serves the runner's s3:// locations instead
(protocol %q on stdin and stdout) until its stdin ends. The runner starts
it; it is not meant to be run by hand.
`

// Main is the fetch helper's program: one request on stdin, one result on
// stdout. SIGTERM and SIGINT cancel the download, which then reports a
// retryable failure. With the arguments -store s3 it is the runner's store
// helper (see runner/storehelper).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == "-store" && args[1] == "s3" {
		return serveStore(stdin, stdout, stderr)
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, usage, spec.FetchVersion, storehelper.Version)
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

// serveStore serves the runner's s3:// locations, with the S3 client the
// environment configures, until stdin ends: the runner ends it by closing
// its stdin, which cancels what is in flight.
func serveStore(stdin io.Reader, stdout, stderr io.Writer) int {
	if err := storehelper.Serve(context.Background(), s3store.New(os.Environ(), s3store.Settings{}), stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "wurzel-fetch: %v\n", err)
		return exitFailed
	}
	return exitFetched
}
