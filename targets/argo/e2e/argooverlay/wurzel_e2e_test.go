//go:build wurzel_e2e

// The Argo end-to-end harness of wurzel: every example and valid test
// pipeline, generated with `wurzel generate --target argo`, run by Argo's
// own workflow controller (this package, driven as its tests drive it)
// with pods run for real by the harness's kubelet, Argo's executor in them.
// build.sh copies this file into a copy of Argo's module; it is not part of
// Argo.

package controller

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	log "github.com/sirupsen/logrus"
	apiv1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"sigs.k8s.io/yaml"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	fakewfclientset "github.com/argoproj/argo-workflows/v3/pkg/client/clientset/versioned/fake"
	cmdutil "github.com/argoproj/argo-workflows/v3/util/cmd"
	"github.com/argoproj/argo-workflows/v3/workflow/artifactrepositories"

	"github.com/wurzel-dev/wurzel/targets/argo/e2e/apiserver"
	"github.com/wurzel-dev/wurzel/targets/argo/e2e/harness"
	"github.com/wurzel-dev/wurzel/targets/argo/e2e/kubelet"
)

// Limits of one case.
const (
	caseTimeout = 5 * time.Minute
	// settleTime is how long a workflow whose pods cannot start is watched
	// without change before the harness takes it as stuck.
	settleTime = 4 * time.Second
)

// defaultNamespace is where workflows without a namespace run.
const defaultNamespace = "argo"

func TestWurzelOnArgo(t *testing.T) {
	// The controller passes its klog level on to the executor; its main
	// sets it, a test binary has none.
	if flag.Lookup("v") == nil {
		cmdutil.SetGLogLevel(0)
	}
	// The controller logs every reconciliation; keep that in a file.
	if file := os.Getenv("WURZEL_E2E_LOG"); file != "" {
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		log.SetOutput(f)
		t.Logf("the controller's log: %s", file)
	}
	env := harness.Setup(t, harness.ArgoVersion)
	var mu sync.Mutex
	var summary []string
	for _, c := range harness.Cases(t, env.Root, env.Own) {
		t.Run(c.Name, func(t *testing.T) {
			line := runCase(t, env, c)
			mu.Lock()
			summary = append(summary, fmt.Sprintf("%-48s %s", c.Name, line))
			mu.Unlock()
		})
	}
	t.Logf("summary:\n%s", strings.Join(summary, "\n"))
}

// runCase runs one case and returns a line for the summary.
func runCase(t *testing.T, env *harness.Env, c *harness.Case) string {
	p := env.Prepare(t, c)
	gen := env.Generate(t, p)
	var ref *harness.Outcome
	if c.Check == nil {
		ref = env.Reference(t, p)
		switch {
		case c.LocalFailure == "" && ref.Phase != "Succeeded":
			t.Fatalf("wurzel run fails on this pipeline: %v", describe(ref))
		case c.LocalFailure != "" && ref.Phase == "Succeeded":
			t.Errorf("wurzel run succeeds now; take the case off the list of local failures (%s)", c.LocalFailure)
		}
	}
	run := runWorkflow(t, env, c, p, gen)
	if c.Name == harness.ContractCase {
		return compareContract(t, env, c, p, ref, run)
	}
	if c.Check != nil {
		c.Check(t, run)
		return "checked: " + run.Phase
	}
	diffs := harness.Differences(ref, run.Outcome)
	if run.Phase != ref.Phase {
		diffs = append(diffs, fmt.Sprintf("workflow %s (%s), wurzel run %s", run.Phase, run.Message, ref.Phase))
	}
	switch {
	case c.Defect == "" && len(diffs) > 0:
		t.Errorf("Argo differs from wurzel run:\n  %s", strings.Join(diffs, "\n  "))
		return "FAILED"
	case c.Defect == "" && c.LocalFailure != "":
		return "same failure as wurzel run (" + c.LocalFailure + ")"
	case c.Defect == "":
		return "succeeded, outputs equal to wurzel run's"
	case len(diffs) == 0:
		t.Errorf("expected to fail (%s) but Argo now runs it as wurzel run does: take it off the expected failures", c.Defect)
		return "PASSES (expected failure)"
	case !strings.Contains(strings.Join(diffs, "\n"), c.Signature):
		t.Errorf("expected to fail (%s, showing %q) but fails otherwise:\n  %s", c.Defect, c.Signature, strings.Join(diffs, "\n  "))
		return "FAILED otherwise"
	}
	t.Logf("expected failure, %s:\n  %s", c.Defect, strings.Join(diffs, "\n  "))
	return "expected failure: " + c.Defect
}

// compareContract compares the records the contract case's steps made
// under wurzel run, the dvc repro player and Argo.
func compareContract(t *testing.T, env *harness.Env, c *harness.Case, p *harness.Prepared, ref *harness.Outcome, run *harness.ArgoRun) string {
	if run.Phase != "Succeeded" {
		t.Fatalf("the contract pipeline %s on Argo: %s", run.Phase, run.Message)
	}
	local := harness.LocalRecords(t, p, ref)
	dvc := env.DVCRecords(t, c)
	argo := env.ArgoRecords(t, run)
	harness.CompareRecords(t, []string{"wurzel run", "dvc repro", "Argo"}, []harness.Records{local, dvc, argo})
	for _, step := range []string{"first", "second"} {
		t.Logf("Argo's record of step %s:\n%s", step, argo[step])
	}
	if t.Failed() {
		return "FAILED: the records differ"
	}
	return "records equal under wurzel run, dvc repro and Argo"
}

func describe(o *harness.Outcome) string {
	var parts []string
	for name, s := range o.Steps {
		parts = append(parts, fmt.Sprintf("%s %s (exit %d) %s", name, s.Status, s.ExitCode, s.Message))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

// podTimes is when the kubelet started and finished a pod.
type podTimes struct {
	node       string
	start, end time.Time
}

// runWorkflow submits the generated workflow to a fresh controller and runs
// it to a final phase (or, for a Stuck case, until its pods settle).
func runWorkflow(t *testing.T, env *harness.Env, c *harness.Case, p *harness.Prepared, gen *harness.Generated) *harness.ArgoRun {
	ns := gen.Workflow.Namespace
	if ns == "" {
		ns = defaultNamespace
	}
	var objects []interface{}
	for _, tmpl := range gen.Templates {
		tmpl = tmpl.DeepCopy()
		tmpl.Namespace = ns
		objects = append(objects, tmpl)
	}
	objects = append(objects, func(wfc *WorkflowController) {
		wfc.Config.Executor = &apiv1.Container{Image: env.ExecutorImage, ImagePullPolicy: apiv1.PullIfNotPresent}
		wfc.artifactRepositories = artifactrepositories.New(wfc.kubeclientset, ns, &wfc.Config.ArtifactRepository)
	})
	cancelController, wfc := newController(objects...)
	defer cancelController()
	kube := wfc.kubeclientset.(*fake.Clientset)
	wfcs := wfc.wfclientset.(*fakewfclientset.Clientset)
	admitPods(kube)
	createClusterObjects(t, env, c, p, gen, kube, ns)

	api, err := apiserver.Start(kube, wfcs, env.PKI.Server)
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()

	wf := gen.Workflow.DeepCopy()
	harness.SubmitParameters(t, wf, c.Submit)
	wf.Namespace = ns
	wf.Name = wf.GenerateName + strings.ToLower(uuid.NewString()[:5])
	wf.UID = types.UID(uuid.NewString())
	wf.CreationTimestamp = metav1.Now()
	if _, err := wfcs.ArgoprojV1alpha1().Workflows(ns).Create(context.Background(), wf, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	times := map[string]*podTimes{}
	wake := make(chan struct{}, 1)
	lastChange := time.Now()
	kl := &kubelet.Kubelet{
		Client: kube, Dir: t.TempDir(), Runtime: env.Runtime, Images: env.Images,
		APIHost: api.Host, APIPort: api.Port, CA: env.PKI.CAPEM, GracePeriod: 3 * time.Second,
		Logf: t.Logf,
		OnStatus: func(pod *apiv1.Pod) {
			mu.Lock()
			pt := times[pod.Name]
			if pt == nil {
				pt = &podTimes{node: pod.Annotations["workflows.argoproj.io/node-name"], start: time.Now()}
				times[pod.Name] = pt
			}
			if pod.Status.Phase == apiv1.PodSucceeded || pod.Status.Phase == apiv1.PodFailed {
				pt.end = time.Now()
			}
			lastChange = time.Now()
			mu.Unlock()
			select {
			case wake <- struct{}{}:
			default:
			}
		},
	}
	ctx, cancelPods := context.WithCancel(context.Background())
	var pods sync.WaitGroup
	defer func() {
		cancelPods()
		pods.Wait()
	}()
	started := map[string]bool{}
	timeout := caseTimeout
	if c.Timeout > 0 {
		timeout = c.Timeout
	}
	deadline := time.Now().Add(timeout)
	for {
		syncInformers(t, wfc, ns)
		cur, err := wfcs.ArgoprojV1alpha1().Workflows(ns).Get(context.Background(), wf.Name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		woc := newWorkflowOperationCtx(cur, wfc)
		woc.operate(context.Background())
		wf = woc.wf
		if wf.Status.Phase.Completed() {
			break
		}
		list, err := kube.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range list.Items {
			pod := list.Items[i].DeepCopy()
			if !started[pod.Name] {
				started[pod.Name] = true
				if v := harness.RestrictedViolations(pod); len(v) > 0 {
					t.Errorf("pod %s would be refused where Pod Security \"restricted\" is enforced: %v", pod.Name, v)
				}
				pods.Add(1)
				go func() {
					defer pods.Done()
					kl.RunPod(ctx, pod)
				}()
			}
		}
		mu.Lock()
		quiet := time.Since(lastChange)
		mu.Unlock()
		if c.Stuck && len(started) > 0 && quiet > settleTime {
			break
		}
		if time.Now().After(deadline) {
			// Reported as the steps that did not finish.
			t.Logf("the workflow is still %s after %v", wf.Status.Phase, timeout)
			break
		}
		select {
		case <-wake:
		case <-time.After(time.Second):
		}
	}
	cancelPods()
	pods.Wait()
	syncInformers(t, wfc, ns)
	run := collect(t, env, kube, wf, ns)
	mu.Lock()
	checkOrder(t, wf, times)
	mu.Unlock()
	if t.Failed() || run.Phase != "Succeeded" {
		logPods(t, kl.Dir, run)
	}
	return run
}

// admitPods does what the API server does to a pod on creation: a uid,
// creation time and phase Pending, and (the ServiceAccount admission plugin) the service
// account token volume in every container.
func admitPods(kube *fake.Clientset) {
	kube.PrependReactor("create", "pods", func(action k8stesting.Action) (bool, runtime.Object, error) {
		pod := action.(k8stesting.CreateAction).GetObject().(*apiv1.Pod)
		pod.UID = types.UID(uuid.NewString())
		pod.CreationTimestamp = metav1.Now()
		pod.Status.Phase = apiv1.PodPending
		if pod.Spec.AutomountServiceAccountToken != nil && !*pod.Spec.AutomountServiceAccountToken {
			return false, nil, nil
		}
		const path = "/var/run/secrets/kubernetes.io/serviceaccount"
		mode := int32(0o644)
		pod.Spec.Volumes = append(pod.Spec.Volumes, apiv1.Volume{Name: "kube-api-access-e2e", VolumeSource: apiv1.VolumeSource{
			Projected: &apiv1.ProjectedVolumeSource{DefaultMode: &mode, Sources: []apiv1.VolumeProjection{
				{ServiceAccountToken: &apiv1.ServiceAccountTokenProjection{Path: "token"}},
				{ConfigMap: &apiv1.ConfigMapProjection{LocalObjectReference: apiv1.LocalObjectReference{Name: "kube-root-ca.crt"},
					Items: []apiv1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
				{DownwardAPI: &apiv1.DownwardAPIProjection{Items: []apiv1.DownwardAPIVolumeFile{
					{Path: "namespace", FieldRef: &apiv1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}}}},
			}}}})
		mount := apiv1.VolumeMount{Name: "kube-api-access-e2e", MountPath: path, ReadOnly: true}
		for _, list := range [][]apiv1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
			for i := range list {
				has := false
				for _, m := range list[i].VolumeMounts {
					has = has || m.MountPath == path
				}
				if !has {
					list[i].VolumeMounts = append(list[i].VolumeMounts, mount)
				}
			}
		}
		return false, nil, nil
	})
}

// createClusterObjects creates what the workflow expects to find in its
// namespace: the artifact repository and its credentials, the pipeline's
// Secrets, ConfigMaps and claims, service accounts, and the cluster CA.
func createClusterObjects(t *testing.T, env *harness.Env, c *harness.Case, p *harness.Prepared, gen *harness.Generated, kube *fake.Clientset, ns string) {
	ctx := context.Background()
	core := kube.CoreV1()
	mustCreate := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	meta := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: name, Namespace: ns} }
	_, err := core.ConfigMaps(ns).Create(ctx, &apiv1.ConfigMap{ObjectMeta: meta("kube-root-ca.crt"),
		Data: map[string]string{"ca.crt": string(env.PKI.CAPEM)}}, metav1.CreateOptions{})
	mustCreate(err)
	access, secret, _ := env.S3Credentials()
	_, err = core.Secrets(ns).Create(ctx, &apiv1.Secret{ObjectMeta: meta("e2e-s3-credentials"),
		Data: map[string][]byte{"accessKey": []byte(access), "secretKey": []byte(secret)}}, metav1.CreateOptions{})
	mustCreate(err)
	spec := workflowSpec(gen)
	if !c.NoArtifactRepository {
		mustCreate(createArtifactRepository(ctx, env, kube, ns, spec.ArtifactRepositoryRef))
	}
	absent := map[string]bool{}
	for _, s := range c.AbsentSecrets {
		absent[s] = true
	}
	for name, data := range p.Secrets {
		if !absent[name] {
			_, err := core.Secrets(ns).Create(ctx, &apiv1.Secret{ObjectMeta: meta(name), Data: data}, metav1.CreateOptions{})
			mustCreate(err)
		}
	}
	for _, v := range spec.Volumes {
		switch {
		case v.ConfigMap != nil:
			_, err := core.ConfigMaps(ns).Create(ctx, &apiv1.ConfigMap{ObjectMeta: meta(v.ConfigMap.Name),
				Data: map[string]string{"e2e": "config of " + v.ConfigMap.Name}}, metav1.CreateOptions{})
			mustCreate(err)
		case v.PersistentVolumeClaim != nil:
			_, err := core.PersistentVolumeClaims(ns).Create(ctx, &apiv1.PersistentVolumeClaim{ObjectMeta: meta(v.PersistentVolumeClaim.ClaimName)}, metav1.CreateOptions{})
			mustCreate(err)
		}
	}
	for _, sa := range []string{"default", spec.ServiceAccountName} {
		if sa != "" {
			if _, err := core.ServiceAccounts(ns).Get(ctx, sa, metav1.GetOptions{}); err != nil {
				_, err := core.ServiceAccounts(ns).Create(ctx, &apiv1.ServiceAccount{ObjectMeta: meta(sa)}, metav1.CreateOptions{})
				mustCreate(err)
			}
		}
	}
}

// workflowSpec is the generated spec, the WorkflowTemplate's when the
// workflow only refers to one.
func workflowSpec(gen *harness.Generated) *wfv1.WorkflowSpec {
	if ref := gen.Workflow.Spec.WorkflowTemplateRef; ref != nil {
		for _, tmpl := range gen.Templates {
			if tmpl.Name == ref.Name {
				return &tmpl.Spec
			}
		}
	}
	return &gen.Workflow.Spec
}

// createArtifactRepository is the namespace's artifact repository
// configuration: versitygw's bucket, credentials from a Secret, as in
// Argo's documentation ("artifact-repositories", default key, or the one
// the workflow names).
func createArtifactRepository(ctx context.Context, env *harness.Env, kube *fake.Clientset, ns string, ref *wfv1.ArtifactRepositoryRef) error {
	name, key := "artifact-repositories", "default-v1"
	if ref != nil {
		if ref.ConfigMap != "" {
			name = ref.ConfigMap
		}
		if ref.Key != "" {
			key = ref.Key
		}
	}
	_, _, region := env.S3Credentials()
	repo := wfv1.ArtifactRepository{S3: &wfv1.S3ArtifactRepository{S3Bucket: wfv1.S3Bucket{
		Endpoint: strings.TrimPrefix(env.S3.Endpoint, "http://"), Bucket: harness.Bucket,
		Insecure: ptrTo(true), Region: region,
		AccessKeySecret: &apiv1.SecretKeySelector{LocalObjectReference: apiv1.LocalObjectReference{Name: "e2e-s3-credentials"}, Key: "accessKey"},
		SecretKeySecret: &apiv1.SecretKeySelector{LocalObjectReference: apiv1.LocalObjectReference{Name: "e2e-s3-credentials"}, Key: "secretKey"},
	}}}
	data, err := yaml.Marshal(repo)
	if err != nil {
		return err
	}
	_, err = kube.CoreV1().ConfigMaps(ns).Create(ctx, &apiv1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns,
			Annotations: map[string]string{"workflows.argoproj.io/default-artifact-repository": key}},
		Data: map[string]string{key: string(data)},
	}, metav1.CreateOptions{})
	return err
}

func ptrTo[T any](v T) *T { return &v }

// syncInformers gives the controller's informers the current pods and task
// results, as the informers' watches eventually would, so that every
// operation sees the latest state.
func syncInformers(t *testing.T, wfc *WorkflowController, ns string) {
	ctx := context.Background()
	pods, err := wfc.kubeclientset.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pods.Items {
		if err := wfc.PodController.TestingPodInformer().GetStore().Update(&pods.Items[i]); err != nil {
			t.Fatal(err)
		}
	}
	results, err := wfc.wfclientset.ArgoprojV1alpha1().WorkflowTaskResults(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range results.Items {
		if err := wfc.taskResultInformer.GetStore().Update(&results.Items[i]); err != nil {
			t.Fatal(err)
		}
	}
}

var attemptSuffix = regexp.MustCompile(`\(\d+\)$`)

// stepOf is the step (DAG task) a node of workflow wf belongs to.
func stepOf(wf, nodeName string) string {
	return attemptSuffix.ReplaceAllString(strings.TrimPrefix(nodeName, wf+"."), "")
}

// collect reads what happened: each step's attempts, final phase, exit code
// and uploaded outputs, the pods and the events.
func collect(t *testing.T, env *harness.Env, kube *fake.Clientset, wf *wfv1.Workflow, ns string) *harness.ArgoRun {
	run := &harness.ArgoRun{Workflow: wf.Name, Phase: string(wf.Status.Phase), Message: wf.Status.Message,
		Outcome: &harness.Outcome{Phase: string(wf.Status.Phase), Steps: map[string]*harness.Step{}}}
	var nodes []wfv1.NodeStatus
	for _, n := range wf.Status.Nodes {
		if n.Type == wfv1.NodeTypePod {
			nodes = append(nodes, n)
		}
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
	for _, n := range nodes {
		name := stepOf(wf.Name, n.Name)
		s := run.Outcome.Steps[name]
		if s == nil {
			s = &harness.Step{}
			run.Outcome.Steps[name] = s
		}
		s.Attempts++
		s.Message = n.Message
		s.ExitCode = -1
		if n.Outputs != nil && n.Outputs.ExitCode != nil {
			s.ExitCode, _ = strconv.Atoi(*n.Outputs.ExitCode)
		}
		switch n.Phase {
		case wfv1.NodeSucceeded:
			s.Status = harness.StepSucceeded
			if n.Outputs != nil {
				s.Outputs = env.ArtifactFiles(t, n.Outputs.Artifacts)
				s.Keys = map[string]string{}
				for _, a := range n.Outputs.Artifacts {
					if a.S3 != nil {
						s.Keys[a.Name] = a.S3.Key
					}
				}
			}
		case wfv1.NodeFailed, wfv1.NodeError:
			s.Status = harness.StepFailed
		case wfv1.NodePending, wfv1.NodeRunning:
			s.Status = harness.StepPending
		default:
			s.Status = harness.StepNotRun
		}
	}
	pods, _ := kube.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
	run.Pods = pods.Items
	events, _ := kube.CoreV1().Events(ns).List(context.Background(), metav1.ListOptions{})
	run.Events = events.Items
	return run
}

// checkOrder checks that every task's pods started after all pods of the
// tasks in its depends finished.
func checkOrder(t *testing.T, wf *wfv1.Workflow, times map[string]*podTimes) {
	spec := wf.Spec
	if wf.Status.StoredWorkflowSpec != nil {
		spec = *wf.Status.StoredWorkflowSpec
	}
	byStep := map[string][]*podTimes{}
	for _, pt := range times {
		step := stepOf(wf.Name, pt.node)
		byStep[step] = append(byStep[step], pt)
	}
	for _, tmpl := range spec.Templates {
		if tmpl.DAG == nil {
			continue
		}
		for _, task := range tmpl.DAG.Tasks {
			for _, dep := range dependsNames(t, task.Depends) {
				for _, after := range byStep[task.Name] {
					for _, before := range byStep[dep] {
						if before.end.IsZero() || after.start.Before(before.end) {
							t.Errorf("task %s started (%s) before %s, in its depends, finished (%s)",
								task.Name, after.start.Format(time.StampMicro), dep, before.end.Format(time.StampMicro))
						}
					}
				}
			}
		}
	}
}

// dependsNames reads the task names of a depends expression made of names
// joined by &&, the only form wurzel generates.
func dependsNames(t *testing.T, depends string) []string {
	if strings.TrimSpace(depends) == "" {
		return nil
	}
	var names []string
	for _, part := range strings.Split(depends, "&&") {
		name := strings.TrimSpace(part)
		if !regexp.MustCompile(`^[a-z0-9][-a-z0-9]*$`).MatchString(name) {
			t.Fatalf("depends %q: %q is not a task name; the harness reads only names joined by &&", depends, name)
		}
		names = append(names, name)
	}
	return names
}

// logPods prints the logs of the pods that did not succeed.
func logPods(t *testing.T, dir string, run *harness.ArgoRun) {
	for _, pod := range run.Pods {
		if pod.Status.Phase == apiv1.PodSucceeded {
			continue
		}
		logs, _ := filepath.Glob(filepath.Join(dir, "pods", string(pod.UID), "logs", "*.log"))
		for _, l := range logs {
			data, _ := os.ReadFile(l)
			if len(data) > 4000 {
				data = append([]byte("...\n"), data[len(data)-4000:]...)
			}
			t.Logf("pod %s (%s), %s:\n%s", pod.Name, pod.Status.Phase, filepath.Base(l), data)
		}
	}
}
