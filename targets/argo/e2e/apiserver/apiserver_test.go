package apiserver

import "testing"

func TestParsePath(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/namespaces/argo/secrets/s3":                                    "/v1/secrets argo s3",
		"/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtaskresults":        "argoproj.io/v1alpha1/workflowtaskresults argo ",
		"/apis/argoproj.io/v1alpha1/namespaces/argo/workflowtaskresults/node-1": "argoproj.io/v1alpha1/workflowtaskresults argo node-1",
		"/api/v1/namespaces/argo/pods/p/status/extra":                           "",
		"/api/v1/pods": "",
	} {
		got := ""
		if tg, ok := parsePath(path); ok {
			got = tg.gvr.Group + "/" + tg.gvr.Version + "/" + tg.gvr.Resource + " " + tg.namespace + " " + tg.name
		}
		if got != want {
			t.Errorf("parsePath(%q) = %q, want %q", path, got, want)
		}
	}
}
