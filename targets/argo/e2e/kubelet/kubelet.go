package kubelet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/wurzel-dev/wurzel/targets/argo/e2e/container"
)

// ServiceAccountToken is the token every pod's service account volume
// holds; the harness's API server accepts any.
const ServiceAccountToken = "wurzel-e2e-service-account-token"

// rootCAConfigMap is the ConfigMap Kubernetes publishes its CA in, which
// service-account volumes project.
const rootCAConfigMap = "kube-root-ca.crt"

// Reasons and messages as the kubelet reports them.
const (
	reasonPodInitializing   = "PodInitializing"
	reasonContainerCreating = "ContainerCreating"
	reasonErrImagePull      = "ErrImagePull"
	reasonDeadline          = "DeadlineExceeded"
	messageDeadline         = "Pod was active on the node longer than the specified deadline"
)

// Kubelet runs pods.
type Kubelet struct {
	Client kubernetes.Interface
	// Dir holds pods' volumes, claims' directories and containers' scratch
	// space.
	Dir string
	// Runtime is the wurzel-e2e-container executable.
	Runtime string
	Images  *Images
	// APIHost and APIPort are the API server's address, given to containers
	// as KUBERNETES_SERVICE_HOST and _PORT; CA is its certificate authority.
	APIHost, APIPort string
	CA               []byte
	// GracePeriod is how long a killed container has between SIGTERM and
	// SIGKILL.
	GracePeriod time.Duration
	// OnStatus is called with the pod after each status change.
	OnStatus func(*corev1.Pod)
	// Logf reports what happens.
	Logf func(format string, args ...any)
}

// podRun is one pod being run.
type podRun struct {
	k      *Kubelet
	pod    *corev1.Pod
	dir    string
	mounts map[string]volumeMount
	mu     sync.Mutex
}

type volumeMount struct {
	dir      string
	readOnly bool
}

// RunPod runs pod to completion, or until ctx ends for a pod that cannot
// start, reporting its status through Client and OnStatus.
func (k *Kubelet) RunPod(ctx context.Context, pod *corev1.Pod) {
	r := &podRun{k: k, pod: pod.DeepCopy(), dir: filepath.Join(k.Dir, "pods", string(pod.UID))}
	defer r.tearDownVolumes()
	if pod.Spec.ActiveDeadlineSeconds != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, time.Duration(*pod.Spec.ActiveDeadlineSeconds)*time.Second, errDeadline)
		defer cancel()
	}
	r.run(ctx)
}

var errDeadline = errors.New("active deadline exceeded")

func (r *podRun) run(ctx context.Context) {
	now := metav1.Now()
	r.update(func(st *corev1.PodStatus) {
		st.Phase = corev1.PodPending
		st.StartTime = &now
		st.HostIP, st.PodIP = "127.0.0.1", "127.0.0.1"
		st.InitContainerStatuses = waitingStatuses(r.pod.Spec.InitContainers, reasonPodInitializing)
		st.ContainerStatuses = waitingStatuses(r.pod.Spec.Containers, reasonPodInitializing)
	})
	if err := r.setUpVolumes(ctx); err != nil {
		var me *mountError
		if errors.As(err, &me) {
			r.k.event(ctx, r.pod, "FailedMount", me.Error())
			r.k.Logf("pod %s: %v: stays Pending", r.pod.Name, err)
			<-ctx.Done()
			r.failIfDeadline(ctx)
			return
		}
		r.fail(fmt.Sprintf("setting up volumes: %v", err))
		return
	}
	for i := range r.pod.Spec.InitContainers {
		c := &r.pod.Spec.InitContainers[i]
		st, ok := r.runContainer(ctx, c, true)
		if !ok {
			return
		}
		if st.ExitCode != 0 {
			r.finish(corev1.PodFailed, "", "")
			return
		}
	}
	r.update(func(st *corev1.PodStatus) { st.Phase = corev1.PodRunning })
	var wg sync.WaitGroup
	results := make([]bool, len(r.pod.Spec.Containers))
	failed := make([]bool, len(r.pod.Spec.Containers))
	for i := range r.pod.Spec.Containers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			st, ok := r.runContainer(ctx, &r.pod.Spec.Containers[i], false)
			results[i], failed[i] = ok, ok && st.ExitCode != 0
		}(i)
	}
	wg.Wait()
	if context.Cause(ctx) == errDeadline {
		r.finish(corev1.PodFailed, reasonDeadline, messageDeadline)
		return
	}
	phase := corev1.PodSucceeded
	for i := range results {
		if !results[i] {
			return // a container could not start: the pod stays as it is
		}
		if failed[i] {
			phase = corev1.PodFailed
		}
	}
	r.finish(phase, "", "")
}

// failIfDeadline fails a pod stuck before its containers when its deadline
// passed, as the kubelet does.
func (r *podRun) failIfDeadline(ctx context.Context) {
	if context.Cause(ctx) == errDeadline {
		r.finish(corev1.PodFailed, reasonDeadline, messageDeadline)
	}
}

func (r *podRun) setUpVolumes(ctx context.Context) error {
	r.mounts = map[string]volumeMount{}
	for _, v := range r.pod.Spec.Volumes {
		dir, ro, err := r.k.volumeDir(ctx, r.pod, r.dir, v)
		if err != nil {
			return err
		}
		r.mounts[v.Name] = volumeMount{dir, ro}
	}
	return nil
}

// tearDownVolumes unmounts the pod's memory-backed emptyDirs once its
// containers have ended, as the kubelet does when the pod goes, so that no
// tmpfs outlives the harness.
func (r *podRun) tearDownVolumes() {
	for _, v := range r.pod.Spec.Volumes {
		if v.EmptyDir == nil || v.EmptyDir.Medium != corev1.StorageMediumMemory {
			continue
		}
		dir := filepath.Join(r.dir, "volumes", v.Name)
		if err := unmountMemory(dir); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
			r.k.Logf("pod %s: unmounting emptyDir %s: %v", r.pod.Name, v.Name, err)
		}
	}
}

func waitingStatuses(cs []corev1.Container, reason string) []corev1.ContainerStatus {
	out := make([]corev1.ContainerStatus, len(cs))
	for i, c := range cs {
		out[i] = corev1.ContainerStatus{Name: c.Name, Image: c.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason}}}
	}
	return out
}

// setContainer changes the status of container name.
func (r *podRun) setContainer(name string, init bool, f func(*corev1.ContainerStatus)) {
	r.update(func(st *corev1.PodStatus) {
		list := st.ContainerStatuses
		if init {
			list = st.InitContainerStatuses
		}
		for i := range list {
			if list[i].Name == name {
				f(&list[i])
			}
		}
	})
}

// runContainer pulls, starts and waits for c. ok is false when it could not
// be started (image pull, configuration): the pod then stays as it is.
func (r *podRun) runContainer(ctx context.Context, c *corev1.Container, init bool) (corev1.ContainerStateTerminated, bool) {
	img, ok := r.k.Images.Resolve(c.Image)
	if !ok {
		msg := fmt.Sprintf("Failed to pull image %q: pull access denied, repository does not exist or may require authorization", c.Image)
		r.k.event(ctx, r.pod, "Failed", msg)
		r.setContainer(c.Name, init, func(s *corev1.ContainerStatus) {
			s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reasonErrImagePull, Message: msg}}
		})
		r.k.Logf("pod %s: container %s: %s", r.pod.Name, c.Name, msg)
		<-ctx.Done()
		r.failIfDeadline(ctx)
		return corev1.ContainerStateTerminated{}, false
	}
	spec, err := r.containerSpec(ctx, c, img)
	if err != nil {
		r.setContainer(c.Name, init, func(s *corev1.ContainerStatus) {
			s.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CreateContainerConfigError", Message: err.Error()}}
		})
		r.k.Logf("pod %s: container %s: %v", r.pod.Name, c.Name, err)
		<-ctx.Done()
		r.failIfDeadline(ctx)
		return corev1.ContainerStateTerminated{}, false
	}
	term := r.execute(ctx, c, init, spec)
	r.setContainer(c.Name, init, func(s *corev1.ContainerStatus) {
		s.State = corev1.ContainerState{Terminated: &term}
		s.Ready = false
	})
	return term, true
}

// execute runs the container's process and returns how it ended.
func (r *podRun) execute(ctx context.Context, c *corev1.Container, init bool, spec *container.Spec) corev1.ContainerStateTerminated {
	scratch := spec.Scratch
	specFile := filepath.Join(scratch, "spec.json")
	logFile := filepath.Join(r.dir, "logs", c.Name+".log")
	if err := os.MkdirAll(filepath.Dir(logFile), 0o755); err != nil {
		return startError(err)
	}
	if err := spec.Write(specFile); err != nil {
		return startError(err)
	}
	logf, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return startError(err)
	}
	defer logf.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		return startError(err)
	}
	cmd := exec.Command(r.k.Runtime, specFile)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.ExtraFiles = []*os.File{pw}
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// A PID namespace of its own, as runc gives a container: when its
		// first process (Argo's executor) ends, the kernel kills every
		// process left in it, which the runner of a contained step
		// relies on (e2e/killed_runner.txtar).
		Cloneflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWUTS | syscall.CLONE_NEWPID,
		Setpgid:    true,
		Pdeathsig:  syscall.SIGKILL,
	}
	started := metav1.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		return startError(err)
	}
	pw.Close()
	msg, _ := io.ReadAll(pr)
	pr.Close()
	if len(msg) == 0 {
		r.setContainer(c.Name, init, func(s *corev1.ContainerStatus) {
			s.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}}
			s.Started = ptrTrue()
		})
	}
	done := make(chan struct{})
	go r.killOnDeadline(ctx, cmd.Process, done)
	waitErr := cmd.Wait()
	close(done)
	term := corev1.ContainerStateTerminated{StartedAt: started, FinishedAt: metav1.Now(), ContainerID: "wurzel-e2e://" + r.pod.Name + "/" + c.Name}
	term.ExitCode = exitCode(cmd.ProcessState, waitErr)
	switch {
	case len(msg) > 0:
		term.Reason, term.ExitCode = "StartError", 128
		term.Message = "failed to start container " + c.Name + ": " + string(msg)
	case term.ExitCode == 0:
		term.Reason = "Completed"
	default:
		term.Reason = "Error"
	}
	if term.Message == "" {
		term.Message = terminationMessage(c, spec.TerminationLog, logFile, term.ExitCode)
	}
	r.k.Logf("pod %s: container %s exited %d (%s) after %v %s", r.pod.Name, c.Name, term.ExitCode, term.Reason,
		term.FinishedAt.Sub(started.Time).Round(time.Millisecond), strings.TrimSpace(term.Message))
	return term
}

// killOnDeadline stops the container when the pod's deadline passes:
// SIGTERM, then SIGKILL to its process group after the grace period.
func (r *podRun) killOnDeadline(ctx context.Context, p *os.Process, done <-chan struct{}) {
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(r.k.GracePeriod):
		_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
		_ = p.Kill()
	}
}

func exitCode(ps *os.ProcessState, err error) int32 {
	if ps == nil {
		return 128
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return int32(128 + ws.Signal())
	}
	return int32(ps.ExitCode())
}

func startError(err error) corev1.ContainerStateTerminated {
	return corev1.ContainerStateTerminated{ExitCode: 128, Reason: "StartError", Message: err.Error(), FinishedAt: metav1.Now()}
}

// terminationMessage is the content of the termination-log file, or with
// FallbackToLogsOnError and an empty file after a failure, the end of the
// log (2048 bytes, 80 lines at most).
func terminationMessage(c *corev1.Container, termLog, logFile string, code int32) string {
	data, _ := os.ReadFile(termLog)
	if len(data) > 0 || code == 0 || c.TerminationMessagePolicy != corev1.TerminationMessageFallbackToLogsOnError {
		return string(data)
	}
	data, _ = os.ReadFile(logFile)
	if len(data) > 2048 {
		data = data[len(data)-2048:]
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 80 {
		lines = lines[len(lines)-80:]
	}
	return strings.Join(lines, "\n")
}

func ptrTrue() *bool { t := true; return &t }

// finish sets the pod's final phase.
func (r *podRun) finish(phase corev1.PodPhase, reason, message string) {
	r.update(func(st *corev1.PodStatus) {
		st.Phase, st.Reason, st.Message = phase, reason, message
	})
	r.k.Logf("pod %s: %s %s", r.pod.Name, phase, reason)
}

// fail ends a pod the kubelet could not run at all.
func (r *podRun) fail(msg string) {
	r.k.Logf("pod %s: %s", r.pod.Name, msg)
	r.finish(corev1.PodFailed, "KubeletError", msg)
}

// update changes the pod's status through the API, then tells OnStatus.
func (r *podRun) update(f func(*corev1.PodStatus)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.pod.Status)
	pods := r.k.Client.CoreV1().Pods(r.pod.Namespace)
	for attempt := 0; ; attempt++ {
		cur, err := pods.Get(context.Background(), r.pod.Name, metav1.GetOptions{})
		if err != nil {
			r.k.Logf("pod %s: reading it to update its status: %v", r.pod.Name, err)
			return
		}
		cur.Status = *r.pod.Status.DeepCopy()
		updated, err := pods.Update(context.Background(), cur, metav1.UpdateOptions{})
		if apierrors.IsConflict(err) && attempt < 10 {
			continue
		}
		if err != nil {
			r.k.Logf("pod %s: updating its status: %v", r.pod.Name, err)
			return
		}
		if r.k.OnStatus != nil {
			r.k.OnStatus(updated)
		}
		return
	}
}

func (k *Kubelet) event(ctx context.Context, pod *corev1.Pod, reason, msg string) {
	ev := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{GenerateName: pod.Name + ".", Name: fmt.Sprintf("%s.%d", pod.Name, time.Now().UnixNano()), Namespace: pod.Namespace},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
		Reason:         reason, Message: msg, Type: corev1.EventTypeWarning,
	}
	_, _ = k.Client.CoreV1().Events(pod.Namespace).Create(ctx, ev, metav1.CreateOptions{})
}
