// Command wurzel-e2e-container starts one container of the Argo end-to-end
// harness: `wurzel-e2e-container SPEC.json`, in new mount, UTS and PID
// namespaces, with the start-error pipe as descriptor 3 (see package
// container).
package main
