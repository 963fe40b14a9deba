package main

import (
	"os/exec"
	"strings"
	"testing"
)

// heavyPackages must stay out of the wurzel binary: go-getter's root package
// links its Google Cloud Storage getter (and through it gRPC) and its AWS
// getter, whose package initialisation costs about 8 ms in every process,
// and every DVC stage is a `wurzel step exec` process. The AWS SDK for Go
// v2, which the S3 store uses, cost 1.2 ms of every start (its endpoint
// tables and schemas, and the pages they touch). Only the fetch helper
// links them, and serves S3 to the runner (runner/storehelper).
var heavyPackages = []string{
	"github.com/hashicorp/go-getter",
	"cloud.google.com/go/storage",
	"google.golang.org/grpc",
	"github.com/wurzel-dev/wurzel/runner/s3store",
	"github.com/aws/aws-sdk-go-v2/service/s3",
	"github.com/aws/aws-sdk-go-v2/config",
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
			t.Errorf("cmd/wurzel links %s; classify source addresses with internal/sourceaddr and leave fetching and S3 to wurzel-fetch", p)
		}
		if !helper[p] {
			t.Errorf("cmd/wurzel-fetch does not link %s: this test no longer guards anything", p)
		}
	}
}
