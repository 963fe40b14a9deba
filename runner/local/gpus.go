package local

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// GPUs are scheduled like Kubernetes schedules nvidia.com/gpu: a step that
// declares n GPUs starts only when n of this machine's GPUs are free, gets
// those n (CUDA_VISIBLE_DEVICES names them) and holds them until it ends.
// A step that declares none sees none (CUDA_VISIBLE_DEVICES is empty), as
// on a cluster, so two steps never share a GPU by accident.

// cudaDevicesEnv is the variable CUDA, PyTorch and TensorFlow read.
const cudaDevicesEnv = "CUDA_VISIBLE_DEVICES"

// DetectGPUs lists the GPUs wurzel run may hand out on this machine: the
// devices CUDA_VISIBLE_DEVICES of its environment names, when it is set,
// else one per NVIDIA device file (/dev/nvidia0, /dev/nvidia1, ...); none
// when there is no GPU.
func DetectGPUs(environ []string) []string {
	if v, ok := lookupEnv(environ, cudaDevicesEnv); ok {
		return splitDevices(v)
	}
	return nvidiaDevices("/dev")
}

// GPUList is the first n of the devices DetectGPUs finds, or, when it
// finds fewer, the device numbers 0 to n-1: what `--gpus N` hands out.
func GPUList(n int, environ []string) []string {
	if found := DetectGPUs(environ); len(found) >= n {
		return found[:n]
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

func lookupEnv(environ []string, name string) (string, bool) {
	v, ok := "", false
	for _, kv := range environ {
		if k, val, found := strings.Cut(kv, "="); found && k == name {
			v, ok = val, true // the last one wins, as in a shell
		}
	}
	return v, ok
}

func splitDevices(v string) []string {
	var out []string
	for _, d := range strings.Split(v, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

var nvidiaDeviceRE = regexp.MustCompile(`^nvidia[0-9]+$`)

// nvidiaDevices counts the GPU device files the NVIDIA driver makes in dir.
func nvidiaDevices(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	n := 0
	for _, e := range entries {
		if nvidiaDeviceRE.MatchString(e.Name()) {
			n++
		}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}

// gpuPool hands out GPUs to running steps.
type gpuPool struct {
	mu   sync.Mutex
	all  []string
	free []string
	held map[string][]string // step -> its devices
}

func newGPUPool(devices []string) *gpuPool {
	return &gpuPool{all: devices, free: append([]string(nil), devices...), held: map[string][]string{}}
}

// want is how many GPUs a step declaring n gets: n, or every GPU of the
// machine when it has fewer (the step then runs alone on them; Kubernetes
// would leave it Pending, which helps no one on a laptop).
func (p *gpuPool) want(n int) int { return min(n, len(p.all)) }

// take reserves the GPUs of a step that declares n, in device order, and
// reports whether they were free.
func (p *gpuPool) take(step string, n int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	n = p.want(n)
	if n > len(p.free) {
		return false
	}
	p.held[step], p.free = p.free[:n:n], p.free[n:]
	return true
}

// release returns a step's GPUs, keeping the free list in device order.
func (p *gpuPool) release(step string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	mine := p.held[step]
	delete(p.held, step)
	if len(mine) == 0 {
		return
	}
	inUse := map[string]bool{}
	for _, ds := range p.held {
		for _, d := range ds {
			inUse[d] = true
		}
	}
	p.free = p.free[:0]
	for _, d := range p.all {
		if !inUse[d] {
			p.free = append(p.free, d)
		}
	}
}

// environ is env with CUDA_VISIBLE_DEVICES set to the step's GPUs (empty
// for none).
func (p *gpuPool) environ(step string, env []string) []string {
	p.mu.Lock()
	devices := strings.Join(p.held[step], ",")
	p.mu.Unlock()
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, cudaDevicesEnv+"=") {
			out = append(out, kv)
		}
	}
	return append(out, cudaDevicesEnv+"="+devices)
}

// popWithGPUs takes from q the first step whose GPUs are free, reserving
// them; false when every step in q must wait for GPUs a running one holds.
func (e *executor) popWithGPUs(q *stepQueue, nodes []*node) (int, bool) {
	var waiting []int
	defer func() {
		for _, i := range waiting {
			q.push(i)
		}
	}()
	for q.Len() > 0 {
		i := q.pop()
		s := nodes[i].step
		if e.gpus.take(s.Name, s.Resources.GPU) {
			return i, true
		}
		waiting = append(waiting, i)
	}
	return 0, false
}

// noteGPUShortage says which steps declare more GPUs than the run has:
// they get every GPU there is, and run alone on them.
func (e *executor) noteGPUShortage() {
	if e.opts.Progress == nil {
		return
	}
	for i := range e.p.Steps {
		s := &e.p.Steps[i]
		if n := s.Resources.GPU; n > len(e.gpus.all) {
			fmt.Fprintf(e.opts.Progress, "note: step %s declares %d GPU(s) and this run has %d (--gpus): it gets %d\n", s.Name, n, len(e.gpus.all), len(e.gpus.all))
		}
	}
}
