package harness

import (
	_ "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	_ "github.com/wurzel-dev/wurzel/internal/gwtest"
	_ "k8s.io/client-go/kubernetes/fake"
)
