package local

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDetectGPUs(t *testing.T) {
	dev := t.TempDir()
	for _, name := range []string{"nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null"} {
		if err := os.WriteFile(filepath.Join(dev, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := nvidiaDevices(dev); !reflect.DeepEqual(got, []string{"0", "1"}) {
		t.Errorf("device files: %v", got)
	}
	if got := nvidiaDevices(filepath.Join(dev, "missing")); len(got) != 0 {
		t.Errorf("no /dev: %v", got)
	}
	env := []string{"CUDA_VISIBLE_DEVICES=0", "CUDA_VISIBLE_DEVICES=2, 3"}
	if got := DetectGPUs(env); !reflect.DeepEqual(got, []string{"2", "3"}) {
		t.Errorf("CUDA_VISIBLE_DEVICES: %v", got)
	}
	if got := DetectGPUs([]string{"CUDA_VISIBLE_DEVICES="}); len(got) != 0 {
		t.Errorf("empty CUDA_VISIBLE_DEVICES: %v", got)
	}
	if got := GPUList(1, env); !reflect.DeepEqual(got, []string{"2"}) {
		t.Errorf("--gpus 1 within the visible ones: %v", got)
	}
	if got := GPUList(3, env); !reflect.DeepEqual(got, []string{"0", "1", "2"}) {
		t.Errorf("--gpus 3: %v", got)
	}
}

func TestGPUPool(t *testing.T) {
	p := newGPUPool([]string{"0", "1", "2"})
	cuda := func(step string) string {
		env := p.environ(step, []string{"A=1", "CUDA_VISIBLE_DEVICES=9"})
		if len(env) != 2 || env[0] != "A=1" {
			t.Fatalf("environ %v", env)
		}
		return strings.TrimPrefix(env[1], "CUDA_VISIBLE_DEVICES=")
	}
	if !p.take("a", 2) || cuda("a") != "0,1" {
		t.Fatalf("a: %q", cuda("a"))
	}
	if p.take("b", 2) {
		t.Fatal("b got 2 GPUs while only 1 is free")
	}
	if !p.take("c", 0) || cuda("c") != "" {
		t.Fatalf("a step without GPUs sees %q", cuda("c"))
	}
	if !p.take("d", 1) || cuda("d") != "2" {
		t.Fatalf("d: %q", cuda("d"))
	}
	p.release("a")
	if !p.take("b", 2) || cuda("b") != "0,1" {
		t.Fatalf("b after a: %q", cuda("b"))
	}
	p.release("d")
	p.release("b")
	// More than there are: every GPU, once they are all free.
	if !p.take("big", 5) || cuda("big") != "0,1,2" {
		t.Fatalf("big: %q", cuda("big"))
	}
	if p.take("e", 1) {
		t.Fatal("e got a GPU big holds")
	}
}
