package schema

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
	_ "time/tzdata" // time zones must resolve on machines without a zoneinfo database

	"github.com/robfig/cron/v3"

	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/internal/lazyre"
)

// Format narrows what a string or number attribute accepts.
type Format string

// The formats. Each has one check, used by the front end for the language's
// own attributes and for the blocks of back ends alike.
const (
	// Duration is Go's duration syntax ("90s", "2h30m"), positive.
	FormatDuration Format = "duration"
	// Quantity is a Kubernetes quantity without a sign ("500m", "2Gi").
	FormatQuantity Format = "quantity"
	// Cron is a 5-field cron expression or a descriptor such as @daily.
	FormatCron Format = "cron"
	// Timezone is an IANA time zone name; "Local" is refused.
	FormatTimezone Format = "timezone"
	// Path is a relative path that stays inside its directory.
	FormatPath Format = "path"
	// Env is an environment variable name.
	FormatEnv Format = "env"
	// Integer is a whole number from 0 to the attribute's Max.
	FormatInteger Format = "integer"
)

// cronParser accepts the standard 5-field syntax and descriptors such as
// @daily, as Argo's CronWorkflow does.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// CheckCron says why expr is not a cron schedule, or returns nil.
func CheckCron(expr string) error {
	_, err := cronParser.Parse(expr)
	return err
}

// CheckTimezone says why tz is not an IANA time zone name, or returns nil.
// "Local" depends on the machine and is refused.
func CheckTimezone(tz string) error {
	if tz == "Local" {
		return errors.New("\"Local\" depends on the machine; use an IANA name such as \"Europe/Berlin\"")
	}
	_, err := time.LoadLocation(tz)
	return err
}

// ParseDuration parses a positive Go duration.
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: use a number and a unit, as in \"90s\", \"15m\" or \"2h30m\"", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q is not positive", s)
	}
	return d, nil
}

// CheckQuantity says why s is not a Kubernetes quantity, or returns nil.
func CheckQuantity(s string) error {
	if !kube.IsQuantity(s) {
		return fmt.Errorf("%q is not a Kubernetes quantity: use a number with an optional suffix, as in \"500m\", \"2\", \"512Mi\" or \"16Gi\"", s)
	}
	return nil
}

// CheckRelPath says why p is not a relative path inside its directory, or
// returns nil.
func CheckRelPath(p string) error {
	switch {
	case p == "":
		return errors.New("it must not be empty")
	case path.IsAbs(p) || strings.HasPrefix(p, "\\") || (len(p) > 1 && p[1] == ':'):
		return fmt.Errorf("%q is absolute: it must be relative", p)
	case hasDotDot(p):
		return fmt.Errorf("%q uses \"..\": it must stay inside its directory", p)
	case path.Clean(p) == ".":
		return fmt.Errorf("%q names the directory itself: give a file or directory inside it", p)
	}
	return nil
}

func hasDotDot(p string) bool {
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return true
		}
	}
	return false
}

var envNameRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CheckEnvName says why name is not a portable environment variable name,
// or returns nil.
func CheckEnvName(name string) error {
	if !envNameRE.MatchString(name) {
		return fmt.Errorf("%q is not a valid environment variable name: use letters, digits and \"_\", not starting with a digit", name)
	}
	return nil
}

// Check says why the string s does not have format f, or returns nil.
// Integer is checked on numbers, not strings, and always passes here.
func (f Format) Check(s string) error {
	switch f {
	case FormatDuration:
		_, err := ParseDuration(s)
		return err
	case FormatQuantity:
		return CheckQuantity(s)
	case FormatCron:
		return CheckCron(s)
	case FormatTimezone:
		return CheckTimezone(s)
	case FormatPath:
		return CheckRelPath(s)
	case FormatEnv:
		return CheckEnvName(s)
	}
	return nil
}
