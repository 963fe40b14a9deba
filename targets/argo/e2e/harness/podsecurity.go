package harness

import (
	corev1 "k8s.io/api/core/v1"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// restricted is the Pod Security Standard "restricted" as the Kubernetes
// release this module builds with defines it.
var restricted = psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}

// RestrictedViolations evaluates a pod as Pod Security admission does in a
// namespace that enforces "restricted", with Kubernetes' own checks, and
// lists why it would be refused; nil when it would be admitted. The pods
// are those Argo's controller creates: Argo's init and wait containers
// included, with every podSpecPatch applied.
func RestrictedViolations(pod *corev1.Pod) []string {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		return []string{"the Pod Security evaluator: " + err.Error()}
	}
	var out []string
	for _, r := range evaluator.EvaluatePod(restricted, &pod.ObjectMeta, &pod.Spec) {
		if !r.Allowed {
			out = append(out, r.ForbiddenReason+": "+r.ForbiddenDetail)
		}
	}
	return out
}
