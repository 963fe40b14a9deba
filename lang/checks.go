package lang

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must resolve on machines without a zoneinfo database

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/robfig/cron/v3"
)

// nameRE is the rule for names of pipelines, steps, secrets, volumes, inputs
// and outputs: they map onto Argo, Kubernetes and DVC names unchanged.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// checkName reports a name that breaks the naming rule.
func (l *loader) checkName(kind DeclKind, name string, r hcl.Range) bool {
	if nameRE.MatchString(name) {
		return true
	}
	l.errorf(&r, "Invalid name", "The %s name %q is not valid: names are 1 to 63 lowercase letters, digits and \"-\", starting with a letter.%s", kind, name, nameHint(name))
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
		if !nameRE.MatchString(name) {
			return fmt.Errorf("%q is not a valid %s name: names are 1 to 63 lowercase letters, digits and \"-\", starting with a letter.%s", name, kind, nameHint(name))
		}
	}
	return nil
}

func nameHint(name string) string {
	fixed := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	if fixed != name && nameRE.MatchString(fixed) {
		return " Did you mean \"" + fixed + "\"?"
	}
	return ""
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkEnvName reports an environment variable name that is not portable or
// that is reserved for wurzel's own variables.
func (l *loader) checkEnvName(name string, r hcl.Range) bool {
	if !envNameRE.MatchString(name) {
		l.errorf(&r, "Invalid environment variable name", "%q is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit.", name)
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
	switch {
	case p == "":
		l.errorf(&r, "Invalid path", "The %s must not be empty.", what)
	case path.IsAbs(p) || strings.HasPrefix(p, "\\") || (len(p) > 1 && p[1] == ':'):
		l.errorf(&r, "Invalid path", "The %s %q is absolute: it must be relative.", what, p)
	case hasDotDot(p):
		l.errorf(&r, "Invalid path", "The %s %q uses \"..\": it must stay inside its directory.", what, p)
	case path.Clean(p) == ".":
		l.errorf(&r, "Invalid path", "The %s %q names the directory itself: give a file or directory inside it.", what, p)
	default:
		return true
	}
	return false
}

func hasDotDot(p string) bool {
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return true
		}
	}
	return false
}

// quantityRE is the Kubernetes quantity grammar without a sign (requests
// are never negative): a decimal number and an optional binary-SI,
// decimal-SI or exponent suffix.
var quantityRE = regexp.MustCompile(`^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$`)

func validQuantity(s string) bool { return quantityRE.MatchString(s) }

// quantityBytes converts a quantity to a whole number of bytes; false when it
// is not a quantity or not a whole number that fits in int64.
func quantityBytes(s string) (int64, bool) {
	if !validQuantity(s) {
		return 0, false
	}
	mult := map[string]float64{"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "Pi": 1 << 50, "Ei": 1 << 60,
		"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		for suf, m := range mult {
			if strings.HasSuffix(s, suf) {
				if f, err = strconv.ParseFloat(strings.TrimSuffix(s, suf), 64); err == nil {
					f *= m
					break
				}
			}
		}
	}
	if err != nil {
		return 0, false
	}
	if f != float64(int64(f)) || f < 0 || f > 9e18 {
		return 0, false
	}
	return int64(f), true
}

// cronParser accepts the standard 5-field syntax and descriptors such as
// @daily, like Argo's CronWorkflow.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func checkCron(expr string) error {
	_, err := cronParser.Parse(expr)
	return err
}

// checkTimezone accepts IANA names; "Local" depends on the machine and is
// refused.
func checkTimezone(tz string) error {
	if tz == "Local" {
		return errLocalTZ
	}
	_, err := time.LoadLocation(tz)
	return err
}

var errLocalTZ = errorString("\"Local\" depends on the machine; use an IANA name such as \"Europe/Berlin\"")

type errorString string

func (e errorString) Error() string { return string(e) }
