package harness

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// ArgoRun is what happened when Argo ran a case's workflow.
type ArgoRun struct {
	Workflow string
	// Phase and Message are the workflow's.
	Phase, Message string
	Outcome        *Outcome
	// Pods are the pods the controller created, as last reported.
	Pods   []corev1.Pod
	Events []corev1.Event
}

// Step returns the outcome of step name, failing t when it has none.
func (r *ArgoRun) Step(t testing.TB, name string) *Step {
	t.Helper()
	s := r.Outcome.Steps[name]
	if s == nil {
		t.Fatalf("step %s has no outcome on Argo (workflow %s: %s)", name, r.Phase, r.Message)
	}
	return s
}

// checks set up the cases that wurzel run cannot be the reference for.
var checks = map[string]func(*Case){
	"e2e/retry_exit_codes.txtar": func(c *Case) {
		c.Check = func(t testing.TB, r *ArgoRun) {
			flaky, broken := r.Step(t, "flaky"), r.Step(t, "broken")
			if flaky.Status != StepSucceeded || flaky.Attempts != 2 {
				t.Errorf("flaky (exit 125, then 0): %s after %d attempts, want succeeded after 2", flaky.Status, flaky.Attempts)
			}
			if broken.Status != StepFailed || broken.ExitCode != 1 || broken.Attempts != 1 {
				t.Errorf("broken (exit 1): %s with exit %d after %d attempts, want failed with 1 after 1 (no retry)",
					broken.Status, broken.ExitCode, broken.Attempts)
			}
			if r.Phase != "Failed" {
				t.Errorf("workflow %s, want Failed", r.Phase)
			}
		}
	},
	"e2e/fail_missing_secret.txtar": func(c *Case) {
		c.Stuck, c.AbsentSecrets = true, []string{"e2e-absent-secret"}
		c.Check = func(t testing.TB, r *ArgoRun) {
			r.expectPending(t, "uses", "FailedMount", `secret "e2e-absent-secret" not found`)
		}
	},
	"e2e/fail_runner_image.txtar": func(c *Case) {
		c.Stuck = true
		c.Check = func(t testing.TB, r *ArgoRun) {
			r.expectPending(t, "a", "Failed", `"registry.invalid/wurzel:missing"`)
			r.expectInitWaiting(t, "wurzel-runner", "ErrImagePull")
		}
	},
	"e2e/killed_runner.txtar": func(c *Case) {
		c.Check = func(t testing.TB, r *ArgoRun) {
			s := r.Step(t, "orphan")
			if s.Status != StepFailed || r.Phase != "Failed" {
				t.Errorf("a step whose runner was killed: %s (%s), workflow %s; want both failed", s.Status, s.Message, r.Phase)
			}
			for _, marker := range []string{"3599.5", "3599.6"} {
				if left := processesRunning("sleep", marker); len(left) > 0 {
					t.Errorf("sleep %s, which the command left, outlived its container: pids %v", marker, left)
				}
			}
		}
	},
	"e2e/fail_no_artifact_repository.txtar": func(c *Case) {
		c.NoArtifactRepository = true
		c.Check = func(t testing.TB, r *ArgoRun) {
			s := r.Step(t, "produce")
			if s.Status == StepSucceeded || r.Phase == "Succeeded" {
				t.Fatalf("without an artifact repository the producing step %s and the workflow %s; want both to fail", s.Status, r.Phase)
			}
			if !strings.Contains(s.Message, "You need to configure artifact storage") {
				t.Errorf("the step's message is %q; want Argo's \"You need to configure artifact storage\"", s.Message)
			}
		}
	},
}

// expectPending checks that step's pod never ran and the workflow still
// runs, and that an event with reason says want: what a user sees with
// `kubectl describe pod`. Argo itself shows only PodInitializing.
func (r *ArgoRun) expectPending(t testing.TB, step, reason, want string) {
	t.Helper()
	s := r.Step(t, step)
	if s.Status != StepPending {
		t.Errorf("step %s is %s (%s), want pending", step, s.Status, s.Message)
	}
	if s.Message != "PodInitializing" {
		t.Errorf("Argo's message for step %s is %q; the harness expects what Argo shows for such a pod, PodInitializing", step, s.Message)
	}
	if r.Phase != "Running" {
		t.Errorf("workflow %s, want Running: nothing ends a workflow whose pod cannot start but a deadline", r.Phase)
	}
	for _, e := range r.Events {
		if e.Reason == reason && strings.Contains(e.Message, want) {
			return
		}
	}
	t.Errorf("no %s event saying %s; events: %v", reason, want, r.Events)
}

// expectInitWaiting checks that an init container of every pod waits with
// reason.
func (r *ArgoRun) expectInitWaiting(t testing.TB, container, reason string) {
	t.Helper()
	if len(r.Pods) == 0 {
		t.Fatal("no pod was created")
	}
	for _, p := range r.Pods {
		found := false
		for _, s := range p.Status.InitContainerStatuses {
			if s.Name == container && s.State.Waiting != nil && s.State.Waiting.Reason == reason {
				found = true
			}
		}
		if !found {
			t.Errorf("pod %s: init container %s is not waiting with %s: %+v", p.Name, container, reason, p.Status.InitContainerStatuses)
		}
	}
}

// processesRunning lists the processes of the host whose command line is
// argv, and kills them: a leftover must not outlive the test that found it.
func processesRunning(argv ...string) []int {
	want := strings.Join(argv, "\x00") + "\x00"
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || string(cmdline) != want {
			continue
		}
		pids = append(pids, pid)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return pids
}
