// Command stepfloor is the least a step runner written in Go can do while
// keeping the runner's one durability promise: read the spec, run the
// command with the runner's stdout and stderr, wait for it, and write a
// small manifest that is synced before it is renamed into place. No
// checks, no guardian, no logs. BenchmarkStepProcess builds it and runs it
// beside `wurzel step exec` and `true`, so that the cost of Go's own
// start-up and process handling, and of that fsync, is measured in the
// same run as the runner's.
package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	os.Exit(run(os.Args[1]))
}

func run(specFile string) int {
	data, err := os.ReadFile(specFile)
	if err != nil {
		return 120
	}
	var st struct {
		Command  []string `json:"command"`
		Manifest string   `json:"manifest"`
	}
	if json.Unmarshal(data, &st) != nil || len(st.Command) == 0 {
		return 120
	}
	cmd := exec.Command(st.Command[0], st.Command[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if cmd.Run() != nil {
		return 1
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.Manifest), ".manifest-*")
	if err != nil {
		return 123
	}
	_, err = tmp.WriteString(`{"outputs":[]}` + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), st.Manifest)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 123
	}
	return 0
}
