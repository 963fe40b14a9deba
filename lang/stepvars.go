package lang

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// setStepVariables records in each step's IR the variables its block uses,
// directly or through locals, so that incremental back ends (DVC params) can
// re-run exactly the steps a changed variable affects.
func (l *loader) setStepVariables() {
	refs := newRefIndex(l.refs)
	localVars := map[string]map[string]bool{}
	var varsOfLocal func(name string, visiting map[string]bool) map[string]bool
	varsOfLocal = func(name string, visiting map[string]bool) map[string]bool {
		if vs, ok := localVars[name]; ok {
			return vs
		}
		ld := l.locals[name]
		if ld == nil || visiting[name] {
			return nil
		}
		visiting[name] = true
		vs := map[string]bool{}
		for _, r := range refs.within(ld.decl.Range) {
			collectVariable(r, vs, func(local string) map[string]bool { return varsOfLocal(local, visiting) })
		}
		localVars[name] = vs
		return vs
	}
	for _, sb := range l.stepOrd {
		if strings.HasSuffix(sb.decl.Range.Filename, JSONSuffix) {
			// A JSON block's range is not known exactly enough to say
			// which references lie inside; nil means "not recorded".
			continue
		}
		vs := map[string]bool{}
		for _, r := range refs.within(sb.decl.Range) {
			collectVariable(r, vs, func(local string) map[string]bool { return varsOfLocal(local, map[string]bool{}) })
		}
		names := make([]string, 0, len(vs))
		for n := range vs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range sb.instances {
			n.ir.Variables = names
		}
	}
}

func collectVariable(r *Ref, into map[string]bool, throughLocal func(string) map[string]bool) {
	switch r.Kind {
	case DeclVariable:
		into[r.Name] = true
	case DeclLocal:
		for n := range throughLocal(r.Name) {
			into[n] = true
		}
	}
}

// refIndex finds the references inside a range quickly: references sorted by
// file and start, searched with binary search.
type refIndex map[string][]*Ref

func newRefIndex(refs []*Ref) refIndex {
	idx := refIndex{}
	for _, r := range refs {
		idx[r.Range.Filename] = append(idx[r.Range.Filename], r)
	}
	for _, rs := range idx {
		sort.Slice(rs, func(i, j int) bool { return rs[i].Range.Start.Byte < rs[j].Range.Start.Byte })
	}
	return idx
}

func (idx refIndex) within(rng hcl.Range) []*Ref {
	rs := idx[rng.Filename]
	lo := sort.Search(len(rs), func(i int) bool { return rs[i].Range.Start.Byte >= rng.Start.Byte })
	hi := sort.Search(len(rs), func(i int) bool { return rs[i].Range.Start.Byte >= rng.End.Byte })
	return rs[lo:hi]
}
