package backend

import (
	"os/exec"
	"strings"
	"testing"
)

// frontEnd are packages that only the front end and the driver may link:
// back ends, the runner and this contract work on the IR alone.
var frontEnd = []string{
	"github.com/hashicorp/hcl/v2",
	"github.com/zclconf/go-cty/cty",
	"github.com/wurzel-dev/wurzel/lang",
	"github.com/wurzel-dev/wurzel/driver",
}

func linked(t *testing.T, patterns ...string) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-deps"}, patterns...)...).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", strings.Join(patterns, " "), err)
	}
	set := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		set[p] = true
	}
	return set
}

func TestBackEndsLinkNoFrontEnd(t *testing.T) {
	const mod = "github.com/wurzel-dev/wurzel/"
	backEnds := linked(t, mod+"backend", mod+"ir", mod+"targets/...", mod+"runner/...")
	for _, p := range frontEnd {
		if backEnds[p] {
			t.Errorf("a back end, the runner or the IR links %s; they must depend on the IR alone (see docs/architecture.md)", p)
		}
	}
	// The command links everything: if it does not link the front end,
	// the names above are stale and this test guards nothing.
	cmd := linked(t, mod+"cmd/wurzel")
	for _, p := range frontEnd {
		if !cmd[p] {
			t.Errorf("cmd/wurzel does not link %s: this test no longer guards anything", p)
		}
	}
}
