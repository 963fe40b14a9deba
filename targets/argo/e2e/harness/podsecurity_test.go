package harness

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestRestrictedViolations shows that the evaluation can fail: an Argo
// container without the settings wurzel's podSpecPatch gives it is refused.
func TestRestrictedViolations(t *testing.T) {
	no, yes, uid := false, true, int64(65532)
	good := &corev1.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}}
	pod := &corev1.Pod{Spec: corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: &yes, RunAsUser: &uid, SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
		InitContainers:  []corev1.Container{{Name: "init", Image: "argoexec", SecurityContext: good}},
		Containers:      []corev1.Container{{Name: "wait", Image: "argoexec", SecurityContext: good}, {Name: "main", Image: "debian", SecurityContext: good}},
	}}
	if v := RestrictedViolations(pod); len(v) != 0 {
		t.Errorf("a restricted pod: %v", v)
	}
	pod.Spec.Containers[0].SecurityContext = nil
	if v := RestrictedViolations(pod); len(v) == 0 {
		t.Error("a wait container without a security context passes")
	}
}
