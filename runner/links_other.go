//go:build !unix

package runner

import "os"

// singleLink cannot tell the links of a file here: outputs are copied.
func singleLink(os.FileInfo) bool { return false }

// deviceOf is not known here.
func deviceOf(os.FileInfo) uint64 { return 0 }
