package main

import (
	"os/exec"
	"strings"
	"testing"
)

// heavyPackages must stay out of the wurzel binary: go-getter's root package
// links its Google Cloud Storage getter (and through it gRPC) and its AWS
// getter, whose package initialisation costs about 8 ms in every process,
// and every step is a `wurzel step exec` process. Only the fetch helper
// links them.
var heavyPackages = []string{
	"github.com/hashicorp/go-getter",
	"cloud.google.com/go/storage",
	"google.golang.org/grpc",
}

func TestOnlyTheFetchHelperLinksGoGetter(t *testing.T) {
	deps := func(pkg string) map[string]bool {
		t.Helper()
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		set := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			set[p] = true
		}
		return set
	}
	wurzel := deps("github.com/wurzel-dev/wurzel/cmd/wurzel")
	helper := deps("github.com/wurzel-dev/wurzel/cmd/wurzel-fetch")
	for _, p := range heavyPackages {
		if wurzel[p] {
			t.Errorf("cmd/wurzel links %s; classify source addresses with internal/sourceaddr and leave fetching to wurzel-fetch", p)
		}
		if !helper[p] {
			t.Errorf("cmd/wurzel-fetch does not link %s: this test no longer guards anything", p)
		}
	}
}
