package local_test

import (
	"os"
	"testing"
)

// TestRunSchedulesGPUs runs four one-GPU steps with four jobs on two fake
// GPUs: each step must see exactly one GPU that no running step holds
// (a lock directory per device fails the step otherwise), a two-GPU step
// sees both, and a step without GPUs sees none.
func TestRunSchedulesGPUs(t *testing.T) {
	step := func(name string, gpus int, script string) string {
		return `
step "` + name + `" {
  command = ["sh", "-c", "` + script + `"]
  output "out" { path = "out.txt" }
  resources { gpu = ` + string(rune('0'+gpus)) + ` }
}
`
	}
	use := `d=$CUDA_VISIBLE_DEVICES; case $d in 0|1) ;; *) echo bad $d >&2; exit 3;; esac; mkdir @DIR@/locks/$d || exit 4; sleep 0.2; rmdir @DIR@/locks/$d; echo $d > out.txt`
	src := `pipeline "gpus" {}
` + step("a", 1, use) + step("b", 1, use) + step("c", 1, use) + step("d", 1, use) +
		step("both", 2, `test \"$CUDA_VISIBLE_DEVICES\" = 0,1 && echo both > out.txt`) +
		step("none", 0, `env | grep -qx CUDA_VISIBLE_DEVICES= && echo none > out.txt`)
	p := newProject(t, src)
	if err := os.MkdirAll(p.path("locks"), 0o755); err != nil {
		t.Fatal(err)
	}
	p.mustRun("--gpus", "2", "-j", "4")
}
