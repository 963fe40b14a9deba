package ir

import "testing"

// TestStepLookup: Step finds each step through the index, and still finds
// (or misses) the right one once Steps changed after IndexSteps.
func TestStepLookup(t *testing.T) {
	p := &Pipeline{Steps: []Step{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	p.IndexSteps()
	for i, name := range []string{"a", "b", "c"} {
		if got := p.Step(name); got != &p.Steps[i] {
			t.Errorf("Step(%q) = %v, want the step at %d", name, got, i)
		}
	}
	if got := p.Step("d"); got != nil {
		t.Errorf("Step(%q) = %v, want nil", "d", got)
	}
	// Steps reordered and extended after indexing.
	p.Steps = []Step{{Name: "c"}, {Name: "a"}, {Name: "d"}}
	for i, name := range []string{"c", "a", "d"} {
		if got := p.Step(name); got != &p.Steps[i] {
			t.Errorf("after a change, Step(%q) = %v, want the step at %d", name, got, i)
		}
	}
	if got := p.Step("b"); got != nil {
		t.Errorf("after a change, Step(%q) = %v, want nil (b was removed)", "b", got)
	}
}
