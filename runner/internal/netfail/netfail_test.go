package netfail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestIs(t *testing.T) {
	// A port nothing listens on: take one and close it again.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, refused := net.Dial("tcp", addr)
	if refused == nil {
		t.Fatalf("dialling the closed port %s succeeded", addr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	var d net.Dialer
	_, timedOut := d.DialContext(ctx, "tcp", addr)

	redirect := &url.Error{Op: "Get", URL: "http://example.invalid/", Err: http.ErrUseLastResponse}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"refused", refused, true},
		{"refused, wrapped", fmt.Errorf("uploading: %w", refused), true},
		{"timed out", timedOut, true},
		{"url.Error around a refused redirect", redirect, false},
		{"other", errors.New("bad response code: 404"), false},
		{"nil", nil, false},
	} {
		if got := Is(c.err); got != c.want {
			t.Errorf("%s: Is(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
