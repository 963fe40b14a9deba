package argo_test

import (
	"strings"
	"testing"
)

// TestStepPlacementChecks: a step's argo block and its limits are checked
// against what Kubernetes would refuse, at the attribute.
func TestStepPlacementChecks(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`resources {
    memory       = "4Gi"
    memory_limit = "2Gi"
  }`, "Limit below request"},
		{`resources {
    cpu       = "1500m"
    cpu_limit = "1"
  }`, "Limit below request"},
		{`argo {
    node_affinity {
      key      = "zone"
      operator = "Exists"
      values   = ["a"]
    }
  }`, `Operator "Exists" takes no values`},
		{`argo {
    node_affinity {
      key      = "gpus"
      operator = "Gt"
      values   = ["many"]
    }
  }`, "compares with an integer"},
		{`argo {
    node_affinity {
      key    = "zone"
      values = ["a"]
      weight = 0
    }
  }`, "Invalid node affinity weight"},
		{`argo {
    labels = { "bad key!" = "x" }
  }`, "Invalid Kubernetes label key"},
		{`argo {
    annotations = { "example.com/a" = "{{workflow.name}}" }
  }`, "Argo would substitute {{"},
		{`argo {
    service_account = "Not_Valid"
  }`, "Invalid Kubernetes service account name"},
	} {
		diags, _ := compile(t, `
pipeline "p" {
  image = "debian:12"
}
step "a" {
  command = ["true"]
  `+c.body+`
}
`)
		if !diags.HasErrors() || !strings.Contains(diags.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %q", c.body, diags, c.want)
		}
	}
	// Equal quantities written differently are fine.
	if diags, _ := compile(t, `
pipeline "p" {
  image = "debian:12"
}
step "a" {
  command = ["true"]
  resources {
    cpu       = "1000m"
    cpu_limit = "1"
  }
}
`); diags.HasErrors() {
		t.Errorf("cpu 1000m with limit 1: %v", diags)
	}
}
