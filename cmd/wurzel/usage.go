package main

import "strings"

// isCobraUsageError recognises the errors cobra returns for unknown commands
// and wrong argument counts, which it does not type.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "unknown flag", "unknown shorthand flag", "invalid argument",
		// Flag rules checked after parsing (MarkFlagRequired, flag groups).
		"required flag(s)", "if any flags in the group", "at least one of the flags in the group"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}
