package netfail

import (
	"errors"
	"net"
)

// Is reports a network failure (refused, reset, timed out), not just any
// error url.Error wraps: that type claims to be a net.Error too, even for a
// refused redirect.
func Is(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
