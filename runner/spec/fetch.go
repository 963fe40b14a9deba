package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FetchVersion is the version of the fetch helper's protocol.
const FetchVersion = "wurzel.dev/fetch/v1"

// FetchRequest asks the fetch helper (wurzel-fetch) to download one source
// input. The runner writes it to the helper's standard input, never to its
// arguments: an address may carry credentials.
type FetchRequest struct {
	Version string `json:"version"`
	// Source is the go-getter address.
	Source string `json:"source"`
	// Dst is the absolute path the input must end up at: a file or a
	// directory, as the source is.
	Dst string `json:"dst"`
	// Pwd is the directory relative sources resolve against.
	Pwd    string       `json:"pwd"`
	Policy SourcePolicy `json:"policy"`
}

// FetchResult is the helper's answer, one JSON document on its standard
// output. Error is set when the fetch failed; its text is already redacted.
type FetchResult struct {
	Error string `json:"error,omitempty"`
	// Retryable marks a transient failure (a network error, a 5xx or 429
	// response, a cancelled download).
	Retryable bool `json:"retryable,omitempty"`
	// Getter is the go-getter getter that ran ("https", "git", ...).
	Getter string `json:"getter,omitempty"`
	// Files and Bytes count what was fetched.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// SHA256 is the digest of a single-file input, for provenance.
	SHA256 string `json:"sha256,omitempty"`
}

// ParseFetchRequest decodes a request and refuses unknown versions and
// unknown fields.
func ParseFetchRequest(data []byte) (*FetchRequest, error) {
	var req FetchRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("fetch request: %w", err)
	}
	if req.Version != FetchVersion {
		return nil, fmt.Errorf("fetch request version %q is not supported (this helper reads %q)", req.Version, FetchVersion)
	}
	if req.Source == "" || req.Dst == "" {
		return nil, fmt.Errorf("fetch request: source and dst are required")
	}
	return &req, nil
}
