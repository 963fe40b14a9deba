package container

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/podmantest"
)

// testEngine is the test storage's podman as an Engine.
func testEngine(t *testing.T) (*Engine, *podmantest.Podman) {
	t.Helper()
	pm := podmantest.Get(t)
	e, err := Find(pm.Path, pm.Env)
	if err != nil {
		t.Fatal(err)
	}
	e.Flags = pm.Flags
	return e, pm
}

// TestInspect resolves images with real podman: by name, by exact digest,
// and a missing one, named by tag or by a digest the image does not have.
func TestInspect(t *testing.T) {
	e, pm := testEngine(t)
	ctx := context.Background()
	img, err := e.Inspect(ctx, podmantest.Busybox)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(img.ID, "sha256:") || len(img.ID) != len("sha256:")+64 || img.OS != "linux" || img.Arch == "" {
		t.Errorf("inspect %s: %+v", podmantest.Busybox, img)
	}
	var digests []string
	if err := json.Unmarshal([]byte(pm.Must(t, "image", "inspect", "--format", "{{json .RepoDigests}}", podmantest.Busybox)), &digests); err != nil || len(digests) == 0 {
		t.Fatalf("repo digests of %s: %v %v", podmantest.Busybox, digests, err)
	}
	byDigest, err := e.Inspect(ctx, digests[0])
	if err != nil || byDigest.ID != img.ID {
		t.Errorf("inspect %s: %+v, %v; want ID %s", digests[0], byDigest, err, img.ID)
	}
	name, _, _ := strings.Cut(digests[0], "@")
	for _, ref := range []string{"localhost/wurzel-test/absent:1", name + "@sha256:" + strings.Repeat("0", 64)} {
		_, err := e.Inspect(ctx, ref)
		var missing *MissingImageError
		if !errors.As(err, &missing) || !strings.Contains(err.Error(), "`podman pull "+ref+"`") {
			t.Errorf("inspect %s: want a missing image naming `podman pull`, got %v", ref, err)
		}
	}
}
