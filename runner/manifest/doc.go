// Package manifest defines a step's manifest: the JSON document that lists
// every file a step published, with its size and sha256. The runner writes
// it last, after every output is in place, so its presence is the commit
// marker of the step: a consumer refuses an output that has no manifest or
// that its manifest does not list.
package manifest
