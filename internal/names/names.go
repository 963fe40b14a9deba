package names

import "strings"

// Rule says the rule in words, for error messages.
const Rule = "names are 1 to 63 lowercase letters, digits and \"-\", starting with a letter"

// Valid reports whether name follows the rule: ^[a-z][a-z0-9-]{0,62}$.
// It is checked by hand: the regular expression's compilation was a large
// part of every start of the binary, and of a step runner's start.
func Valid(name string) bool {
	if len(name) == 0 || len(name) > 63 || !lower(name[0]) {
		return false
	}
	return lowerDigitsDashes(name[1:])
}

// Suggest returns a valid name close to name (lower case, "_" as "-"), or ""
// when there is no obvious one.
func Suggest(name string) string {
	fixed := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	if fixed != name && Valid(fixed) {
		return fixed
	}
	return ""
}

// KeyRule says the rule for the keys of a step's instances, for error
// messages.
const KeyRule = "instance keys are lowercase letters, digits and \"-\", starting with a letter or digit, and the step's name, \"-\" and the key together are at most 63 characters"

// Instance is the name of the instance key of step block step.
func Instance(step, key string) string { return step + "-" + key }

// ValidKey reports whether key can name an instance of step block step: the
// key is a file name in every file system (a fan-in input has one entry
// per key) and Instance(step, key) follows the rule of names.
func ValidKey(step, key string) bool {
	return ValidKeyName(key) && Valid(Instance(step, key))
}

// ValidKeyName reports whether key has the form of an instance key, whatever
// its step: the runner checks the keys of a step spec with it.
// The form is ^[a-z0-9][a-z0-9-]*$.
func ValidKeyName(key string) bool {
	return len(key) > 0 && len(key) < 63 && (lower(key[0]) || digit(key[0])) && lowerDigitsDashes(key[1:])
}

func lower(c byte) bool { return 'a' <= c && c <= 'z' }
func digit(c byte) bool { return '0' <= c && c <= '9' }

func lowerDigitsDashes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !lower(c) && !digit(c) && c != '-' {
			return false
		}
	}
	return true
}
