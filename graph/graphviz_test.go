package graph

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/ir"
)

// TestGraphvizReadsDOT has the real Graphviz parse the DOT output and checks
// the graph it understood: every step a node, data edges labelled, the
// ordering edge dashed.
func TestGraphvizReadsDOT(t *testing.T) {
	dot := testtool.Need(t, "dot", "Graphviz, Debian package graphviz")
	p := ragIngest()
	p.Steps = append(p.Steps, ir.Step{Name: "end"}) // a keyword in some syntaxes
	p.Edges = append(p.Edges, ir.Edge{From: "index", To: "end", Kind: ir.DataEdge, Output: "index", Input: "in"})
	cmd := exec.Command(dot, "-Tjson")
	cmd.Stdin = bytes.NewReader(RenderDOT(p))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot refused the output: %v\n%s\n%s", err, stderr.String(), RenderDOT(p))
	}
	var g struct {
		Name    string `json:"name"`
		Objects []struct {
			Name string `json:"name"`
		} `json:"objects"`
		Edges []struct {
			Tail  int    `json:"tail"`
			Head  int    `json:"head"`
			Label string `json:"label"`
			Style string `json:"style"`
		} `json:"edges"`
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	var nodes []string
	for _, o := range g.Objects {
		nodes = append(nodes, o.Name)
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, g.Objects[e.Tail].Name+"->"+g.Objects[e.Head].Name+" "+e.Label+" "+e.Style)
	}
	sort.Strings(edges)
	if g.Name != "rag-ingest" || strings.Join(nodes, ",") != "read,split,embed,index,end" {
		t.Errorf("graph %q with nodes %q", g.Name, nodes)
	}
	want := []string{
		"embed->index vectors ",
		"index->end index → in ",
		"read->split pages ",
		"split->embed chunks ",
		"split->index  dashed",
	}
	if strings.Join(edges, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges as Graphviz read them:\n%s\nwant:\n%s", strings.Join(edges, "\n"), strings.Join(want, "\n"))
	}
}

// TestGraphvizReadsClusters runs dot on a pipeline with instances: the
// cluster is a subgraph of its own holding the instances.
func TestGraphvizReadsClusters(t *testing.T) {
	dot := testtool.Need(t, "dot", "Graphviz, Debian package graphviz")
	cmd := exec.Command(dot, "-Tjson")
	cmd.Stdin = bytes.NewReader(RenderDOT(instances()))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot refused the output: %v\n%s", err, stderr.String())
	}
	var g struct {
		Objects []struct {
			Name  string `json:"name"`
			Label string `json:"label"`
			Nodes []int  `json:"nodes"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	var cluster []string
	for _, o := range g.Objects {
		if o.Name == "cluster_prep" {
			for _, n := range o.Nodes {
				cluster = append(cluster, g.Objects[n].Name)
			}
		}
	}
	sort.Strings(cluster)
	if strings.Join(cluster, ",") != "prep-north,prep-south" {
		t.Errorf("cluster_prep holds %q, want both instances\n%s", cluster, out)
	}
}
