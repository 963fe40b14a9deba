package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/spf13/cobra"
)

// Commands that load one pipeline, answer and exit spend a quarter of their
// time collecting garbage at Go's default setting, most of it the parser's
// token slices, dead as soon as each file is parsed. They trade memory for
// that time: the collector does not run until the heap reaches
// batchMemoryLimit, so that a pipeline of a few thousand steps is checked
// without collecting at all. The first collection restores Go's default
// (collect each time the heap doubles), so that a larger pipeline takes no
// more memory than it would by default: at most the larger of the limit and
// what the default needs.
//
// The language server, `wurzel run` and `wurzel step exec` live long or run
// beside the user's own work, and keep Go's default; `wurzel run` only
// collects less often until its first step starts (see loadForRun).
const batchMemoryLimit = 512 << 20

// batchCommands are the commands that trade memory for speed.
var batchCommands = map[string]bool{"validate": true, "generate": true, "fmt": true, "graph": true, "inspect": true}

// tuneMemory applies the batch setting when cmd is one of batchCommands,
// unless the environment sets GOGC or GOMEMLIMIT: the user's choice wins.
// It returns a function that restores the previous setting.
func tuneMemory(cmd *cobra.Command, environ []string) (restore func()) {
	if cmd.Parent() == nil || cmd.Parent().Parent() != nil || !batchCommands[cmd.Name()] {
		return func() {}
	}
	for _, kv := range environ {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GOMEMLIMIT=") {
			return func() {}
		}
	}
	limit := debug.SetMemoryLimit(batchMemoryLimit)
	percent := debug.SetGCPercent(-1)
	var done atomic.Bool
	undo := func() {
		if done.CompareAndSwap(false, true) {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
		}
	}
	// The sentinel dies in the first collection, which the limit
	// triggered; its cleanup then gives the collector back its default.
	sentinel := new(struct{ _ [64]byte })
	runtime.AddCleanup(sentinel, func(struct{}) { undo() }, struct{}{})
	return undo
}
