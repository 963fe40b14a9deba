package main

import (
	"os/exec"
	"strings"
	"testing"
)

// wurzel-step starts once per step in every Argo pod: it links the runner
// and nothing of the front end, the command line framework, go-getter,
// the AWS SDK (Argo pods never see an s3:// location), YAML (their
// variables come in files of one value each) or package net, whose
// package initialisation and pages every start would pay.
func TestLinksOnlyTheRunner(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	if !deps["github.com/wurzel-dev/wurzel/runner"] {
		t.Fatal("wurzel-step does not link the runner: this test no longer guards anything")
	}
	for _, banned := range []string{
		"github.com/hashicorp/hcl/v2",
		"github.com/hashicorp/hcl/v2/hclwrite",
		"github.com/google/go-cmp/cmp",
		"github.com/zclconf/go-cty/cty",
		"github.com/wurzel-dev/wurzel/lang",
		"github.com/wurzel-dev/wurzel/driver",
		"github.com/spf13/cobra",
		"github.com/hashicorp/go-getter",
		"github.com/wurzel-dev/wurzel/runner/s3store",
		"github.com/aws/aws-sdk-go-v2/service/s3",
		"github.com/aws/aws-sdk-go-v2/config",
		// Params files (DVC's params.yaml) are read by wurzel step exec.
		"go.yaml.in/yaml/v3",
		"github.com/wurzel-dev/wurzel/runner/paramsfile/yamlfile",
		// Nothing it does talks to a network.
		"net",
	} {
		if deps[banned] {
			t.Errorf("wurzel-step links %s", banned)
		}
	}
}
