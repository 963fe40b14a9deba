package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// checkNoNUL reports a string in v that holds a NUL character. No command
// argument, environment variable or path can carry one (the operating
// system ends the string there), and YAML has no way to write it: a step
// would fail at run time with a misleading error, so it is refused here.
// It also reports a number out of range, which would be written out digit
// by digit.
func (l *loader) checkNoNUL(v cty.Value, r hcl.Range, name string) bool {
	nul, huge := false, false
	cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
		e, _ = e.Unmark()
		if nul || huge || !e.IsKnown() || e.IsNull() {
			return false, nil
		}
		switch e.Type() {
		case cty.String:
			nul = strings.ContainsRune(e.AsString(), 0)
		case cty.Number:
			huge = numberOutOfRange(e)
		}
		return !nul && !huge, nil
	})
	if nul {
		l.errorf(&r, "NUL character in value", "The value of %q holds a NUL character (\\u0000), which no command, environment variable or path can carry.", name)
	}
	if huge {
		l.errorf(&r, "Number out of range", "%s", numberRangeMessage)
	}
	return !nul && !huge
}
