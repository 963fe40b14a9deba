package argo

import (
	"bytes"
	"fmt"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// maxObjectBytes is the largest object a Kubernetes cluster stores with
// etcd's default request limit (--max-request-bytes, 1.5 MiB): the API
// server refuses a larger one ("etcdserver: request is too large"), so a
// workflow over it could never be submitted. Managed clusters keep the
// default.
const maxObjectBytes = 1536 << 10

// checkObjectSizes refuses a stream holding a document the cluster cannot
// store, pointing at the pipeline block. Only the stream's size is looked at
// unless it is over the limit, which keeps the common case free.
func checkObjectSizes(p *ir.Pipeline, stream []byte) error {
	if len(stream) <= maxObjectBytes {
		return nil
	}
	var diags []ir.Diagnostic
	for _, doc := range documents(stream) {
		if len(doc) <= maxObjectBytes {
			continue
		}
		diags = append(diags, ir.Diagnostic{
			Severity: ir.Error,
			Summary:  "Workflow too large for Kubernetes",
			Detail: fmt.Sprintf("The generated %s is %s bytes; Kubernetes stores objects of at most %s bytes (etcd's default request limit), so the cluster would refuse it. "+
				"Most of it is the steps' templates and tasks (%d steps): split the pipeline, or give steps with for_each fewer instances.",
				documentKind(doc), thousands(len(doc)), thousands(maxObjectBytes), len(p.Steps)),
			Subject: p.Range,
		})
	}
	if len(diags) == 0 {
		return nil
	}
	return &backend.DiagnosticsError{Diagnostics: diags}
}

// documents splits a YAML stream as internal/yamlout writes it: each
// document of several starts with a line "---".
func documents(stream []byte) [][]byte {
	var docs [][]byte
	start, at := 0, 0
	for line := range bytes.Lines(stream) {
		if string(line) == "---\n" {
			if at > start {
				docs = append(docs, stream[start:at])
			}
			start = at + len(line)
		}
		at += len(line)
	}
	if at > start {
		docs = append(docs, stream[start:at])
	}
	return docs
}

// documentKind is the kind a document declares at its top level.
func documentKind(doc []byte) string {
	for line := range bytes.Lines(doc) {
		if kind, ok := bytes.CutPrefix(line, []byte("kind: ")); ok {
			return string(bytes.TrimSpace(kind))
		}
	}
	return "document"
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
