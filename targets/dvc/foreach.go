package dvc

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/yamlout"
	"github.com/wurzel-dev/wurzel/ir"
)

// itemVar is DVC's variable for the element of a foreach list.
const itemVar = "${item}"

// foreachStage writes the instances of a step with for_each as one foreach
// stage, so that a DVC user sees one stage definition that DVC expands into
// <step>@<key>:
//
//	prepare:
//	  foreach: [east, north, south]
//	  do:
//	    cmd: wurzel step exec --spec wurzel/steps/prepare-${item}.json
//
// Each instance's stage is built as if it were a step of its own, and every
// name of an instance with its key (prepare-north, and score-north for an
// input paired by key) becomes <step>-${item}. When that makes the
// instances' stages one and the same, expanding it with each key gives back
// exactly each instance's stage; otherwise (a watch path or a source that
// differs by more than the key, say) it returns nil and the instances are
// written as stages of their own.
func foreachStage(p *ir.Pipeline, block []*ir.Step, l layout, params []string, wdir string) *yaml.Node {
	instanceKeys := keysByInstance(p)
	stages := make([]*yaml.Node, len(block))
	keys := make([]string, len(block))
	for i, s := range block {
		keys[i] = s.Instance.Key
		stages[i] = stageNode(p, s, l, params, wdir)
	}
	// First the instances' names alone; then also the key where it stands
	// alone, as in a source ./shards/north.txt.
	for _, bare := range []bool{false, true} {
		if do := commonStage(block, stages, instanceKeys, bare); do != nil {
			st := yamlout.Map()
			yamlout.Put(st, "foreach", yamlout.Strings(keys))
			yamlout.Put(st, "do", do)
			return st
		}
	}
	return nil
}

// commonStage templates each instance's stage and returns the result when
// it is the same for all.
func commonStage(block []*ir.Step, stages []*yaml.Node, instanceKeys map[string]map[string]bool, bare bool) *yaml.Node {
	var do *yaml.Node
	for i, s := range block {
		names := namesWithKey(instanceKeys, s.Instance.Key)
		if bare {
			names = append(names, [2]string{s.Instance.Key, itemVar})
		}
		templated := templateKey(stages[i], names)
		if i == 0 {
			do = templated
		} else if !nodesEqual(do, templated) {
			return nil
		}
	}
	return do
}

// keysByInstance maps each step block with for_each to its keys.
func keysByInstance(p *ir.Pipeline) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for i := range p.Steps {
		if inst := p.Steps[i].Instance; inst != nil {
			if out[inst.Of] == nil {
				out[inst.Of] = map[string]bool{}
			}
			out[inst.Of][inst.Key] = true
		}
	}
	return out
}

// namesWithKey are the names of the instances with the given key, longest
// first, each with the name it takes in a foreach stage.
func namesWithKey(blocks map[string]map[string]bool, key string) [][2]string {
	var out [][2]string
	for block, keys := range blocks {
		if keys[key] {
			out = append(out, [2]string{block + "-" + key, block + "-" + itemVar})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i][0]) != len(out[j][0]) {
			return len(out[i][0]) > len(out[j][0])
		}
		return out[i][0] < out[j][0]
	})
	return out
}

// templateKey copies a stage, replacing in every string each instance name
// of names where it stands as a whole path element or word.
func templateKey(n *yaml.Node, names [][2]string) *yaml.Node {
	c := *n
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!str" || n.Tag == "" {
			c.Value = replaceNames(n.Value, names)
		}
		return &c
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = templateKey(child, names)
	}
	return &c
}

func replaceNames(s string, names [][2]string) string {
	for _, pair := range names {
		if !strings.Contains(s, pair[0]) {
			continue
		}
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, pair[0])
			if i < 0 {
				b.WriteString(rest)
				break
			}
			end := i + len(pair[0])
			if boundary(rest, i-1) && boundary(rest, end) {
				b.WriteString(rest[:i])
				b.WriteString(pair[1])
			} else {
				b.WriteString(rest[:end])
			}
			rest = rest[end:]
		}
		s = b.String()
	}
	return s
}

// boundary reports whether position i of s is outside the string or a
// character that cannot be part of a name. The braces of ${...} count as
// part of a name, so that no replacement reaches into a variable.
func boundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := s[i]
	return !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '{' || c == '}')
}

func nodesEqual(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !nodesEqual(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}
