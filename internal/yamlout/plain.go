package yamlout

import "strings"

// Plain reports whether s is written without quotes. Every YAML 1.1 and
// YAML 1.2 reader then reads it back as exactly the string s, as a mapping
// key and as a value, anywhere in a block mapping or sequence. The rule is
// deliberately narrower than either specification, so that it can be
// checked by eye:
//
//  1. s starts with an ASCII letter, "_" or "/". No number, date, time,
//     sexagesimal number (YAML 1.1's 1:20), .inf, .nan, ~ or empty string of
//     either version starts that way, nor does any indicator ("-", "?",
//     ":", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", brackets),
//     a document marker (--- and ...), the merge key << or YAML 1.1's
//     value key =.
//  2. The other characters are ASCII letters, digits, "_", ".", "/", "-",
//     "+", "=", ":" and spaces. Everything else is quoted: characters that
//     mean something to YAML in some position ("#" a comment, "&" and "*"
//     anchors and aliases, "!" a tag, "," and brackets in flow context,
//     quotes), tabs, line breaks, control characters, the characters YAML
//     1.1 takes for line breaks and 1.2 does not (NEL, U+2028, U+2029), the
//     byte order mark, and, to keep the rule short, all of non-ASCII text.
//     Argo's {{...}} expressions thus stay quoted, as Argo's examples write
//     them.
//  3. Spaces come one at a time and between words: a plain scalar loses
//     leading and trailing spaces.
//  4. ":" is directly followed by a character that is not a space: ": "
//     and a final ":" make s a mapping key.
//  5. s is not one of the words YAML 1.1 reads as a boolean or null (y, n,
//     yes, no, on, off, true, false, null), in any casing; YAML 1.2 shares
//     true, false and null.
func Plain(s string) bool {
	if s == "" || !isLetter(s[0]) && s[0] != '_' && s[0] != '/' {
		return false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte("_./-+=", c) >= 0:
		case c == ' ':
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case c == ':':
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		default:
			return false
		}
	}
	return !yaml11Word(s)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// yaml11Word reports whether s is, in any casing, a word YAML 1.1 resolves
// to a boolean or null. YAML 1.1 accepts only some casings ("yes", "Yes",
// "YES"); quoting every casing is simpler and costs nothing.
func yaml11Word(s string) bool {
	if len(s) > len("false") {
		return false
	}
	for _, w := range yaml11Words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

var yaml11Words = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
