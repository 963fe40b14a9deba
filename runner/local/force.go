package local

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/ir"
)

// ForcedSteps resolves what --force names into step names. A name is a
// step; the name of a step with for_each means every instance, and one
// instance is written as the step with its key in brackets,
// prepare["north"] (the quotes are optional), or by its own name,
// prepare-north.
func ForcedSteps(p *ir.Pipeline, names []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, spelling := range names {
		steps, err := forcedStep(p, spelling)
		if err != nil {
			return nil, err
		}
		for _, s := range steps {
			add(s)
		}
	}
	return out, nil
}

// forcedStep resolves one spelling of --force.
func forcedStep(p *ir.Pipeline, spelling string) ([]string, error) {
	block, key, indexed, err := splitForce(spelling)
	if err != nil {
		return nil, fmt.Errorf("--force %s: %v", spelling, err)
	}
	var instances, keys []string
	for i := range p.Steps {
		s := &p.Steps[i]
		if s.Instance != nil && s.Instance.Of == block {
			instances = append(instances, s.Name)
			keys = append(keys, s.Instance.Key)
			if indexed && key == s.Instance.Key {
				return []string{s.Name}, nil
			}
		}
	}
	switch {
	case indexed && len(instances) > 0 && key == "*":
		return instances, nil
	case indexed && len(instances) > 0:
		sort.Strings(keys)
		return nil, fmt.Errorf("--force %s: step %s has no instance with the key %q (its keys: %s)", spelling, block, key, strings.Join(keys, ", "))
	case indexed:
		return nil, fmt.Errorf("--force %s: pipeline %s has no step %q with for_each", spelling, p.Name, block)
	case p.Step(block) != nil:
		return []string{block}, nil
	case len(instances) > 0:
		return instances, nil
	}
	return nil, fmt.Errorf("--force: pipeline %s has no step %q", p.Name, spelling)
}

// splitForce reads step, step["key"], step[key] and step[*].
func splitForce(s string) (block, key string, indexed bool, err error) {
	open := strings.IndexByte(s, '[')
	if open < 0 {
		return s, "", false, nil
	}
	if !strings.HasSuffix(s, "]") {
		return "", "", false, fmt.Errorf(`write one instance as step["key"]`)
	}
	block, key = s[:open], s[open+1:len(s)-1]
	if strings.HasPrefix(key, `"`) {
		if key, err = strconv.Unquote(key); err != nil {
			return "", "", false, fmt.Errorf(`write one instance as step["key"]`)
		}
	}
	return block, key, true, nil
}
