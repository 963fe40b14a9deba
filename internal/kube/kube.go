package kube

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/internal/lazyre"
)

// Lengths Kubernetes allows.
const (
	// MaxLabel is the longest DNS label: namespaces, most object names,
	// the name part of a qualified name, a label value.
	MaxLabel = 63
	// MaxSubdomain is the longest DNS subdomain.
	MaxSubdomain = 253
)

var (
	dnsLabelRE  = lazyre.New(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	qualifiedRE = lazyre.New(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	keyRE       = lazyre.New(`^[-._a-zA-Z0-9]+$`)
	// quantityRE is Kubernetes' quantity grammar without a sign: requests,
	// limits and sizes are never negative, and a leading "+" is refused
	// rather than silently dropped.
	exponentRE = lazyre.New(`[eE][+-]?[0-9]+$`)
	quantityRE = lazyre.New(`^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$`)
)

// IsDNSLabel reports whether s is a DNS label (RFC 1123): at most 63
// lower-case letters, digits and "-", starting and ending with a letter or
// digit. Namespaces and pod volume names are DNS labels.
func IsDNSLabel(s string) bool {
	return len(s) <= MaxLabel && dnsLabelRE.MatchString(s)
}

// IsDNSSubdomain reports whether s is a DNS subdomain: DNS labels joined by
// ".", at most 253 characters. Most object names (Secrets, ConfigMaps,
// service accounts, priority classes) are.
func IsDNSSubdomain(s string) bool {
	if s == "" || len(s) > MaxSubdomain {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !dnsLabelRE.MatchString(part) {
			return false
		}
	}
	return true
}

// IsQualifiedName reports whether s is a qualified name, the form of label
// and annotation keys: an optional DNS subdomain prefix and "/", then at most
// 63 letters, digits, "-", "_" or ".", starting and ending with a letter or
// digit.
func IsQualifiedName(s string) bool {
	name := s
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		if !IsDNSSubdomain(s[:i]) {
			return false
		}
		name = s[i+1:]
	}
	return len(name) <= MaxLabel && qualifiedRE.MatchString(name)
}

// IsLabelValue reports whether s is a valid label value: empty, or at most
// 63 letters, digits, "-", "_" or ".", starting and ending with a letter or
// digit.
func IsLabelValue(s string) bool {
	return s == "" || (len(s) <= MaxLabel && qualifiedRE.MatchString(s))
}

// IsConfigKey reports whether s is a valid key of a Secret or ConfigMap:
// letters, digits, "-", "_" and ".", neither "." nor "..", at most 253
// characters.
func IsConfigKey(s string) bool {
	return keyRE.MatchString(s) && s != "." && s != ".." && len(s) <= MaxSubdomain
}

// IsQuantity reports whether s is a resource quantity such as "500m", "2",
// "1.5Gi" or "1e3".
func IsQuantity(s string) bool { return quantityRE.MatchString(s) }

var suffixes = map[string]*big.Rat{
	"Ki": pow(2, 10), "Mi": pow(2, 20), "Gi": pow(2, 30), "Ti": pow(2, 40), "Pi": pow(2, 50), "Ei": pow(2, 60),
	"n": pow(10, -9), "u": pow(10, -6), "m": pow(10, -3),
	"k": pow(10, 3), "M": pow(10, 6), "G": pow(10, 9), "T": pow(10, 12), "P": pow(10, 15), "E": pow(10, 18),
}

// pow is base**exp as an exact fraction.
func pow(base, exp int64) *big.Rat {
	n := new(big.Int).Exp(big.NewInt(base), big.NewInt(max(exp, -exp)), nil)
	if exp < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), n)
	}
	return new(big.Rat).SetInt(n)
}

// QuantityBytes converts a quantity to a whole number of bytes; false when s
// is not a quantity, not a whole number, or does not fit in an int64.
func QuantityBytes(s string) (int64, bool) {
	r, ok := quantity(s)
	if !ok || !r.IsInt() || !r.Num().IsInt64() || r.Sign() < 0 {
		return 0, false
	}
	return r.Num().Int64(), true
}

// CompareQuantities compares two quantities by value ("1000m" equals "1"):
// -1, 0 or +1; false when either is not a quantity this package can read.
func CompareQuantities(a, b string) (int, bool) {
	x, ok := quantity(a)
	if !ok {
		return 0, false
	}
	y, ok := quantity(b)
	if !ok {
		return 0, false
	}
	return x.Cmp(y), true
}

// QuantityMilli converts a quantity to thousandths, rounded up ("500m" and
// "0.5" are 500, "2" is 2000), as Kubernetes counts CPU; false when s is
// not a quantity, is negative or does not fit in an int64.
func QuantityMilli(s string) (int64, bool) {
	r, ok := quantity(s)
	if !ok || r.Sign() < 0 {
		return 0, false
	}
	r.Mul(r, big.NewRat(1000, 1))
	n := new(big.Int).Quo(r.Num(), r.Denom())
	if !r.IsInt() {
		n.Add(n, big.NewInt(1))
	}
	if !n.IsInt64() {
		return 0, false
	}
	return n.Int64(), true
}

// quantity is the exact value of a quantity.
func quantity(s string) (*big.Rat, bool) {
	if !IsQuantity(s) {
		return nil, false
	}
	num, mult := s, big.NewRat(1, 1)
	if e := exponentRE.FindString(s); e != "" {
		// An exponent beyond int64's range would make big.Rat build a
		// number of that many digits before we could refuse it.
		if exp, err := strconv.Atoi(e[1:]); err != nil || exp > 30 || exp < -30 {
			return nil, false
		}
	} else {
		for _, n := range []int{2, 1} {
			if len(s) > n {
				if m, ok := suffixes[s[len(s)-n:]]; ok {
					num, mult = s[:len(s)-n], m
					break
				}
			}
		}
	}
	// Rat parses decimals and exponents exactly, so "1000m" is exactly 1
	// and "0.1Ki" is refused as 102.4.
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return nil, false
	}
	return r.Mul(r, mult), true
}
