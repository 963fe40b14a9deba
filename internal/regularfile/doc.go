// Package regularfile opens files that must be regular files: secret key
// files, manifests, sources and watched files. A FIFO, a device or a socket
// at such a path would block a plain open or read (a FIFO without a
// writer) or never end (/dev/zero), so it is refused before a byte is
// read, by the file actually opened rather than a check of the path.
package regularfile
