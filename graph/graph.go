package graph

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wurzel-dev/wurzel/ir"
)

// Format is an output format of Render.
type Format string

// The formats Render supports.
const (
	Mermaid Format = "mermaid"
	DOT     Format = "dot"
)

// Formats lists the supported formats, for help texts and errors.
var Formats = []Format{Mermaid, DOT}

// Render renders p's graph in format f.
func Render(p *ir.Pipeline, f Format) ([]byte, error) {
	switch f {
	case Mermaid:
		return RenderMermaid(p), nil
	case DOT:
		return RenderDOT(p), nil
	}
	return nil, fmt.Errorf("unknown graph format %q (want mermaid or dot)", string(f))
}

// edgeLabel is what a data edge is labelled with: the output's name, and the
// input's name too when the consumer calls it differently, so that a reader
// can find both ends in the source.
func edgeLabel(e ir.Edge) string {
	if e.Input == "" || e.Input == e.Output {
		return e.Output
	}
	return e.Output + " → " + e.Input
}

// RenderMermaid renders p as a Mermaid flowchart, left to right.
func RenderMermaid(p *ir.Pipeline) []byte {
	var b bytes.Buffer
	// The front matter title is shown by Mermaid and ignored by GitHub's
	// renderer when unsupported; it keeps the pipeline's name in the diagram.
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", mermaidText(p.Name))
	b.WriteString("flowchart LR\n")
	for _, block := range p.StepBlocks() {
		if block[0].Instance == nil {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", mermaidID(block[0].Name), mermaidText(block[0].Name))
			continue
		}
		// The instances of a step with for_each, grouped under the step.
		of := block[0].Instance.Of
		fmt.Fprintf(&b, "    subgraph %s[\"%s\"]\n", "each_"+strings.ReplaceAll(of, "-", "_"), mermaidText(of+" (for_each)"))
		for _, s := range block {
			fmt.Fprintf(&b, "        %s[\"%s\"]\n", mermaidID(s.Name), mermaidText(s.Instance.Key))
		}
		b.WriteString("    end\n")
	}
	for _, e := range p.Edges {
		from, to := mermaidID(e.From), mermaidID(e.To)
		switch e.Kind {
		case ir.DataEdge:
			fmt.Fprintf(&b, "    %s -->|\"%s\"| %s\n", from, mermaidText(edgeLabel(e)), to)
		default:
			fmt.Fprintf(&b, "    %s -.-> %s\n", from, to)
		}
	}
	return b.Bytes()
}

// mermaidID turns a step name into a node id. Step names may contain "-",
// which Mermaid can confuse with an edge, and may be keywords such as "end",
// so every id gets a prefix and "-" becomes "_" (names never contain "_", so
// distinct names keep distinct ids).
func mermaidID(name string) string {
	return "step_" + strings.ReplaceAll(name, "-", "_")
}

// mermaidText escapes text shown inside a quoted Mermaid label.
func mermaidText(s string) string {
	return strings.ReplaceAll(s, `"`, "#quot;")
}

// RenderDOT renders p as a Graphviz digraph, left to right.
func RenderDOT(p *ir.Pipeline) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(p.Name))
	b.WriteString("    rankdir=LR;\n")
	b.WriteString("    node [shape=box, style=rounded];\n")
	for _, block := range p.StepBlocks() {
		if block[0].Instance == nil {
			fmt.Fprintf(&b, "    %s;\n", dotQuote(block[0].Name))
			continue
		}
		// The instances of a step with for_each, in a cluster named after
		// the step.
		of := block[0].Instance.Of
		fmt.Fprintf(&b, "    subgraph %s {\n", dotQuote("cluster_"+of))
		fmt.Fprintf(&b, "        label=%s;\n", dotQuote(of+" (for_each)"))
		for _, s := range block {
			fmt.Fprintf(&b, "        %s [label=%s];\n", dotQuote(s.Name), dotQuote(s.Instance.Key))
		}
		b.WriteString("    }\n")
	}
	for _, e := range p.Edges {
		from, to := dotQuote(e.From), dotQuote(e.To)
		switch e.Kind {
		case ir.DataEdge:
			fmt.Fprintf(&b, "    %s -> %s [label=%s];\n", from, to, dotQuote(edgeLabel(e)))
		default:
			fmt.Fprintf(&b, "    %s -> %s [style=dashed];\n", from, to)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// dotQuote writes s as a DOT double-quoted string, in which only the quote
// and the backslash need escaping.
func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
