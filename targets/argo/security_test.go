package argo_test

import (
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/targets/argo"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

// TestSecurity checks who a step's container runs as, which `wurzel run
// --isolation container` follows: wurzel's defaults, the pod's security
// context over them, the container's over the pod's.
func TestSecurity(t *testing.T) {
	p := fixtures.RagIngest()
	p.Extensions = nil
	s := &p.Steps[0]
	if got := (argo.Target{}).Security(p, s); got != backend.DefaultSecurity {
		t.Errorf("defaults: got %+v, want %+v", got, backend.DefaultSecurity)
	}
	all := fixtures.AllOptions()
	want := backend.Security{UID: 1000, GID: 1000, FSGroup: 2000, ReadOnlyRoot: true}
	if got := (argo.Target{}).Security(all, &all.Steps[0]); got != want {
		t.Errorf("all options: got %+v, want %+v", got, want)
	}
	p.Extensions = []*ir.Block{fixtures.Block("argo", fixtures.Attrs{},
		fixtures.Block("pod_security_context", fixtures.Attrs{"run_as_user": int64(1234), "run_as_group": int64(2345)}),
		fixtures.Block("security_context", fixtures.Attrs{"run_as_user": int64(4321)}),
	)}
	want = backend.Security{UID: 4321, GID: 2345, FSGroup: backend.DefaultUID}
	if got := (argo.Target{}).Security(p, s); got != want {
		t.Errorf("container over pod: got %+v, want %+v", got, want)
	}
}
