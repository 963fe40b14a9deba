package yamlout

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
)

// Value converts a JSON-like value (nil, bool, string, json.Number, float64,
// int, int64, []any or map[string]any) to YAML that 1.1 and 1.2 readers
// decode to the same value. Map keys are sorted, so that the output does not
// depend on Go's map order.
func Value(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case nil:
		return Null(), nil
	case bool:
		return Bool(x), nil
	case string:
		return String(x), nil
	case json.Number:
		return Number(string(x))
	case float64:
		return Number(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		return Int(int64(x)), nil
	case int64:
		return Int(x), nil
	case []any:
		n := Seq()
		for _, e := range x {
			en, err := Value(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, en)
		}
		return n, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := Map()
		for _, k := range keys {
			en, err := Value(x[k])
			if err != nil {
				return nil, err
			}
			Put(m, k, en)
		}
		return m, nil
	default:
		return nil, fmt.Errorf("unsupported value of type %T", v)
	}
}

var decimalInt = lazyre.New(`^-?(0|[1-9][0-9]*)$`)

// Number writes a number given as decimal text (a JSON number) so that both
// YAML versions read the same number: integers as they are; other numbers
// always with a "." and, when an exponent is needed, a signed one, because
// YAML 1.1 reads "1e3" as a string and YAML 1.2 as a float. Infinities and
// NaN are refused: JSON, where the values come from, has none.
func Number(text string) (*yaml.Node, error) {
	if decimalInt.MatchString(text) {
		// As given, however long: an integer too large for 64 bits stays
		// plain digits, which Python's YAML readers read exactly.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: text}, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("number %q cannot be written to YAML", text)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: formatFloat(f)}, nil
}

// formatFloat renders f with a "." always, and a signed exponent only for
// very large or very small magnitudes.
func formatFloat(f float64) string {
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-4 && abs < 1e21) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // like 1.5e+30 or 1e-07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	return mant + "e" + exp
}
