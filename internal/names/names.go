// Package names holds the rule for the names of pipelines, steps, secrets,
// volumes, inputs and outputs. The front end refuses names that break it and
// the runner refuses step specs that carry one; both ask this package.
//
// The rule is the intersection of what every back end accepts unchanged: a
// Kubernetes DNS label that starts with a letter (Argo template and volume
// names) and a DVC stage name, so no back end ever has to mangle a name.
package names

import (
	"regexp"
	"strings"
)

var pattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// Rule says the rule in words, for error messages.
const Rule = "names are 1 to 63 lowercase letters, digits and \"-\", starting with a letter"

// Valid reports whether name follows the rule.
func Valid(name string) bool { return pattern.MatchString(name) }

// Suggest returns a valid name close to name (lower case, "_" as "-"), or ""
// when there is no obvious one.
func Suggest(name string) string {
	fixed := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	if fixed != name && Valid(fixed) {
		return fixed
	}
	return ""
}
