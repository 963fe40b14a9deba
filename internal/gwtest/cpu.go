package gwtest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the times in /proc/PID/stat: the kernel reports
// them in USER_HZ, 100 on every Linux architecture.
const userHZ = 100

// CPU returns the CPU time (user and system) the server has used so far,
// with a resolution of 10 ms, so that a benchmark can tell the server's
// share of a transfer from the client's. It is 0 where there is no /proc.
func (s *Server) CPU() time.Duration {
	d, err := processCPU(s.pid)
	if err != nil {
		return 0
	}
	return d
}

// processCPU reads the user and system time of process pid.
func processCPU(pid int) (time.Duration, error) {
	name := fmt.Sprintf("/proc/%d/stat", pid)
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	d, err := statCPU(string(data))
	if err != nil {
		return 0, fmt.Errorf("%s: %v", name, err)
	}
	return d, nil
}

// statCPU sums the user and system times of a /proc/PID/stat line: fields
// 14 and 15, counted from after the command name, which may itself hold
// spaces and parentheses.
func statCPU(line string) (time.Duration, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name")
	}
	fields := strings.Fields(line[i+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("%d fields after the command name, want at least 13", len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}
