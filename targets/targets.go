package targets

import (
	"sort"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/schema"
	"github.com/wurzel-dev/wurzel/targets/argo"
	"github.com/wurzel-dev/wurzel/targets/dvc"
)

// registry holds every back end. Keep it sorted by name.
var registry = []backend.Target{
	argo.New(),
	dvc.New(),
}

// All returns every back end, sorted by name.
func All() []backend.Target {
	out := append([]backend.Target(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Language returns root, the front end's language, extended with the blocks
// of every back end (see backend.Target.Extensions).
func Language(root *schema.Block) *schema.Block {
	for _, t := range All() {
		root = schema.Extend(root, t.Name(), t.Extensions())
	}
	return root
}

// Names returns the names of every back end, sorted.
func Names() []string {
	var names []string
	for _, t := range All() {
		names = append(names, t.Name())
	}
	return names
}

// ByName returns the back end called name.
func ByName(name string) (backend.Target, bool) {
	for _, t := range registry {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}
