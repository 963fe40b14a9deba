package lang

import (
	"fmt"

	"github.com/wurzel-dev/wurzel/ir"
)

// Linux bounds what a program receives when it starts (execve): each
// argument and each environment entry ("NAME=value"), with its terminating
// NUL, at most MAX_ARG_STRLEN (32 pages: 131072 bytes), and all of them
// together at most ARG_MAX (a quarter of the stack limit: 2 MiB by
// default). The runner starts the command with the step's command and env,
// so a step beyond these cannot run on any back end, however its spec
// travels: it is refused here rather than failing with "argument list too
// long" at run time.
const (
	maxExecString = 131072
	maxExecTotal  = 2 << 20
)

// checkExecLimits refuses command arguments, env values and settings that
// no program could be started with.
func (l *loader) checkExecLimits(s *ir.Step) {
	total := 0
	tooLong := func(r ir.Range, what string, n int) {
		hr := HCLRange(r)
		l.errorf(&hr, "Value too long for a program", "%s is %d bytes; Linux passes at most %d bytes in one argument or environment variable to a program, so the step could not start. Put the text in a file the step reads: an input, a file in the image, or a config_map volume.", what, n, maxExecString-1)
	}
	for i, a := range s.Command {
		total += len(a) + 1
		if len(a)+1 > maxExecString {
			tooLong(s.Ranges.Command.Elem(i).Or(s.Range), fmt.Sprintf("Argument %d of the command", i+1), len(a))
		}
	}
	for _, k := range sortedKeys(s.Env) {
		n := len(k) + 1 + len(s.Env[k])
		total += n + 1
		if n+1 > maxExecString {
			tooLong(s.Ranges.Env.Key(k).Or(s.Range), "The env entry "+k, n)
		}
	}
	for _, st := range s.Settings {
		n := len(st.EnvName) + 1 + len(st.Value)
		total += n + 1
		if n+1 > maxExecString {
			tooLong(s.Ranges.Settings.Key(st.Key).Or(s.Range), "The setting "+st.Key+" (as "+st.EnvName+")", n)
		}
	}
	if total > maxExecTotal {
		r := HCLRange(s.Ranges.Command.Range.Or(s.Range))
		l.errorf(&r, "Command and environment too large", "The command, env and settings of step %q take %d bytes; Linux starts a program with at most %d (ARG_MAX, by default), and the runner's own environment needs room too. Put large values in files the step reads.", s.Name, total, maxExecTotal)
	}
}
