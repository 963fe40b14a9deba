package argo

import (
	"bytes"
	"fmt"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// maxObjectBytes is the largest object a Kubernetes cluster stores with
// etcd's default request limit (--max-request-bytes, 1.5 MiB), which
// managed clusters keep: the API server refuses a larger one ("etcdserver:
// request is too large"). A cluster whose etcd allows more takes it, so a
// larger workflow is a warning, not an error.
const maxObjectBytes = 1536 << 10

var _ backend.OutputChecker = Target{}

// CheckOutput warns about each generated document larger than a cluster
// with etcd's default limit stores, at the pipeline block. Documents are
// measured one by one only when the whole stream is over the limit, which
// keeps the common case free.
func (Target) CheckOutput(p *ir.Pipeline, files []backend.File) []ir.Diagnostic {
	var diags []ir.Diagnostic
	for _, f := range files {
		if len(f.Data) <= maxObjectBytes {
			continue
		}
		for _, doc := range documents(f.Data) {
			if len(doc) > maxObjectBytes {
				diags = append(diags, tooLarge(p, doc))
			}
		}
	}
	return diags
}

func tooLarge(p *ir.Pipeline, doc []byte) ir.Diagnostic {
	return ir.Diagnostic{
		Severity: ir.Warning,
		Summary:  "Workflow larger than Kubernetes stores by default",
		Detail: fmt.Sprintf("The generated %s is %s bytes. A cluster with etcd's default request limit (1.5 MiB, which managed clusters keep) refuses objects over %s bytes, so submitting it fails with \"request is too large\". "+
			"Most of it is the templates and tasks of its %s steps: split the pipeline, give steps with for_each fewer instances, or raise etcd's --max-request-bytes.",
			documentKind(doc), thousands(len(doc)), thousands(maxObjectBytes), thousands(len(p.Steps))),
		Subject: p.Range,
	}
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
