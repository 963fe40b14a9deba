package lang

import (
	"fmt"
	"strings"
	_ "time/tzdata" // time zones must resolve on machines without a zoneinfo database

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/wurzel-dev/wurzel/internal/names"
	"github.com/wurzel-dev/wurzel/schema"
)

// checkName reports a name that breaks the naming rule.
func (l *loader) checkName(kind DeclKind, name string, r hcl.Range) bool {
	if names.Valid(name) {
		return true
	}
	l.errorf(&r, "Invalid name", "The %s name %q is not valid: %s.%s", kind, name, names.Rule, nameHint(name))
	return false
}

// CheckDeclName says why name cannot name a declaration of kind, or returns
// nil: variables and locals are HCL identifiers, everything else follows
// the naming rule of Argo, Kubernetes and DVC names.
func CheckDeclName(kind DeclKind, name string) error {
	switch kind {
	case DeclVariable, DeclLocal:
		if !hclsyntax.ValidIdentifier(name) {
			return fmt.Errorf("%q is not a valid %s name: use letters, digits, \"_\" and \"-\", starting with a letter", name, kind)
		}
	default:
		if !names.Valid(name) {
			return fmt.Errorf("%q is not a valid %s name: %s.%s", name, kind, names.Rule, nameHint(name))
		}
	}
	return nil
}

func nameHint(name string) string {
	if fixed := names.Suggest(name); fixed != "" {
		return " Did you mean \"" + fixed + "\"?"
	}
	return ""
}

// checkEnvName reports an environment variable name that is not portable or
// that is reserved for wurzel's own variables.
func (l *loader) checkEnvName(name string, r hcl.Range) bool {
	if err := schema.CheckEnvName(name); err != nil {
		l.errorf(&r, "Invalid environment variable name", "%s.", capitalize(err.Error()))
		return false
	}
	if strings.HasPrefix(strings.ToUpper(name), "WURZEL_") {
		l.errorf(&r, "Reserved environment variable name", "%q starts with WURZEL_, which is reserved for the variables wurzel gives every step.", name)
		return false
	}
	return true
}

// checkRelPath reports a path that is empty, absolute or leaves its base
// directory with "..". what names the attribute for the message.
func (l *loader) checkRelPath(p, what string, r hcl.Range) bool {
	if p == "" {
		l.errorf(&r, "Invalid path", "The %s must not be empty.", what)
		return false
	}
	if err := schema.CheckRelPath(p); err != nil {
		l.errorf(&r, "Invalid path", "The %s %s.", what, err)
		return false
	}
	return true
}

// capitalize upper-cases the first letter of a message taken from an error.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
