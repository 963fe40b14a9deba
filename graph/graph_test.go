package graph

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wurzel-dev/wurzel/ir"
)

// ragIngest is the shape of the bundled example: a chain of four steps with
// one ordering edge.
func ragIngest() *ir.Pipeline {
	return &ir.Pipeline{
		Name: "rag-ingest",
		Steps: []ir.Step{
			{Name: "read"}, {Name: "split"}, {Name: "embed"}, {Name: "index"},
		},
		Edges: []ir.Edge{
			{From: "embed", To: "index", Kind: ir.DataEdge, Output: "vectors", Input: "vectors"},
			{From: "read", To: "split", Kind: ir.DataEdge, Output: "pages", Input: "pages"},
			{From: "split", To: "embed", Kind: ir.DataEdge, Output: "chunks", Input: "chunks"},
			{From: "split", To: "index", Kind: ir.OrderEdge},
		},
	}
}

func TestMermaid(t *testing.T) {
	got := string(RenderMermaid(ragIngest()))
	want := `---
title: rag-ingest
---
flowchart LR
    step_read["read"]
    step_split["split"]
    step_embed["embed"]
    step_index["index"]
    step_embed -->|"vectors"| step_index
    step_read -->|"pages"| step_split
    step_split -->|"chunks"| step_embed
    step_split -.-> step_index
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mermaid (-want +got):\n%s", diff)
	}
}

func TestDOT(t *testing.T) {
	got := string(RenderDOT(ragIngest()))
	want := `digraph "rag-ingest" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "read";
    "split";
    "embed";
    "index";
    "embed" -> "index" [label="vectors"];
    "read" -> "split" [label="pages"];
    "split" -> "embed" [label="chunks"];
    "split" -> "index" [style=dashed];
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dot (-want +got):\n%s", diff)
	}
}

// A step called "end" is a Mermaid keyword and a hyphenated name looks like
// an edge; both must still give valid, distinct node ids.
func TestMermaidIDsAvoidKeywordsAndHyphens(t *testing.T) {
	p := &ir.Pipeline{
		Name:  "p",
		Steps: []ir.Step{{Name: "end"}, {Name: "a-b"}},
		Edges: []ir.Edge{{From: "end", To: "a-b", Kind: ir.DataEdge, Output: "out", Input: "in"}},
	}
	got := string(RenderMermaid(p))
	for _, want := range []string{`step_end["end"]`, `step_a_b["a-b"]`, `step_end -->|"out → in"| step_a_b`} {
		if !strings.Contains(got, want) {
			t.Errorf("mermaid output lacks %q:\n%s", want, got)
		}
	}
}

func TestDOTQuotes(t *testing.T) {
	if got, want := dotQuote(`a"b\c`), `"a\"b\\c"`; got != want {
		t.Errorf("dotQuote = %s, want %s", got, want)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, f := range Formats {
		a, err := Render(ragIngest(), f)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Render(ragIngest(), f)
		if string(a) != string(b) {
			t.Errorf("%s: two renders differ", f)
		}
	}
	if _, err := Render(ragIngest(), "svg"); err == nil || !strings.Contains(err.Error(), `"svg"`) {
		t.Errorf("unknown format: err = %v", err)
	}
}

// instances is a step with two instances gathered by one step.
func instances() *ir.Pipeline {
	return &ir.Pipeline{
		Name: "shards",
		Steps: []ir.Step{
			{Name: "prep-north", Instance: &ir.Instance{Of: "prep", Key: "north"}},
			{Name: "prep-south", Instance: &ir.Instance{Of: "prep", Key: "south"}},
			{Name: "merge"},
		},
		Edges: []ir.Edge{
			{From: "prep-north", To: "merge", Kind: ir.DataEdge, Output: "rows", Input: "rows"},
			{From: "prep-south", To: "merge", Kind: ir.DataEdge, Output: "rows", Input: "rows"},
		},
	}
}

func TestInstancesGrouped(t *testing.T) {
	mermaid := string(RenderMermaid(instances()))
	wantMermaid := `---
title: shards
---
flowchart LR
    subgraph each_prep["prep (for_each)"]
        step_prep_north["north"]
        step_prep_south["south"]
    end
    step_merge["merge"]
    step_prep_north -->|"rows"| step_merge
    step_prep_south -->|"rows"| step_merge
`
	if diff := cmp.Diff(wantMermaid, mermaid); diff != "" {
		t.Errorf("mermaid (-want +got):\n%s", diff)
	}
	dot := string(RenderDOT(instances()))
	for _, want := range []string{"    subgraph \"cluster_prep\" {\n        label=\"prep (for_each)\";\n        \"prep-north\" [label=\"north\"];\n", "    \"prep-south\" -> \"merge\" [label=\"rows\"];\n"} {
		if !strings.Contains(dot, want) {
			t.Errorf("dot lacks %q:\n%s", want, dot)
		}
	}
}
