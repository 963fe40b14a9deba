package fetch

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

func runMain(t *testing.T, args []string, stdin string) (code int, res spec.FetchResult, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, strings.NewReader(stdin), &out, &errOut)
	if out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("stdout is not one JSON result: %v\n%s", err, out.String())
		}
	}
	return code, res, errOut.String()
}

func request(t *testing.T, req spec.FetchRequest) string {
	t.Helper()
	req.Version = spec.FetchVersion
	data, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestMainFetchesAndAnswers(t *testing.T) {
	body := []byte("id,text\n1,hello\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }))
	defer srv.Close()
	dst := filepath.Join(t.TempDir(), "in", "data.csv")
	code, res, stderr := runMain(t, nil, request(t, spec.FetchRequest{
		Source: srv.URL + "/data.csv", Dst: dst, Pwd: t.TempDir(),
		Policy: spec.SourcePolicy{AllowedSchemes: []string{"http"}},
	}))
	if code != exitFetched || res.Error != "" || stderr != "" {
		t.Fatalf("exit %d, result %+v, stderr %q", code, res, stderr)
	}
	if res.Getter != "http" || res.Files != 1 || res.Bytes != int64(len(body)) || len(res.SHA256) != 64 {
		t.Errorf("result %+v does not describe the file", res)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, body) {
		t.Errorf("fetched %q", got)
	}
}

func TestMainReportsFailuresRedacted(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	src := strings.Replace(srv.URL, "http://", "http://user:s3cr3t-pw@", 1) + "/x?token=tok-123456"
	code, res, _ := runMain(t, nil, request(t, spec.FetchRequest{
		Source: src, Dst: filepath.Join(t.TempDir(), "x"), Pwd: t.TempDir(),
		Policy: spec.SourcePolicy{AllowedSchemes: []string{"http"}},
	}))
	if code != exitFailed || !strings.Contains(res.Error, "404") || res.Retryable {
		t.Fatalf("exit %d, result %+v", code, res)
	}
	for _, leak := range []string{"s3cr3t-pw", "tok-123456"} {
		if strings.Contains(res.Error, leak) {
			t.Errorf("%q leaked: %s", leak, res.Error)
		}
	}
}

func TestMainRefusesBadRequests(t *testing.T) {
	for name, stdin := range map[string]string{
		"not JSON":        "{",
		"unknown version": `{"version":"wurzel.dev/fetch/v0","source":"x","dst":"/y"}`,
		"unknown field":   `{"version":"` + spec.FetchVersion + `","source":"x","dst":"/y","extra":1}`,
		"no source":       `{"version":"` + spec.FetchVersion + `","dst":"/y"}`,
		"too large":       strings.Repeat(" ", maxRequest+1),
	} {
		code, res, stderr := runMain(t, nil, stdin)
		if code != exitUsage || res != (spec.FetchResult{}) || !strings.HasPrefix(stderr, "wurzel-fetch: ") {
			t.Errorf("%s: exit %d, result %+v, stderr %q", name, code, res, stderr)
		}
	}
	if code, _, stderr := runMain(t, []string{"--help"}, ""); code != 0 || !strings.Contains(stderr, "usage: wurzel-fetch") {
		t.Errorf("--help: exit %d, %q", code, stderr)
	}
	if code, _, _ := runMain(t, []string{"extra"}, ""); code != exitUsage {
		t.Errorf("an argument: exit %d", code)
	}
}
