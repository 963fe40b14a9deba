// Package graph renders a pipeline's dependency graph as text that diagram
// tools draw: Mermaid flowcharts (rendered by GitHub and many editors) and
// Graphviz DOT.
//
// The graph comes from the IR alone: steps are nodes, in the IR's
// topological order, the instances of a step with for_each grouped under
// the step (a Mermaid subgraph, a DOT cluster) and labelled by their keys;
// a data edge goes from the producing step to the consuming step and is
// labelled by the output's name; an ordering edge (depends_on) is dashed. The same pipeline always renders to the same bytes.
package graph
