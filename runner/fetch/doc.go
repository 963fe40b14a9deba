// Package fetch is the fetch helper (cmd/wurzel-fetch): it downloads one
// go-getter `source` input for the runner, hardened (allowed schemes and
// hosts, no symbolic links out of the input, checksums and sizes checked
// again after the download, credentials redacted from every message).
//
// It is the only package that links go-getter. go-getter's root package
// links its Google Cloud Storage and AWS getters, whose initialisation costs
// about 8 ms in every process that links them; keeping it out of the wurzel
// binary keeps that cost out of every step that fetches no source. The
// runner starts the helper with a spec.FetchRequest on stdin and reads a
// spec.FetchResult from its stdout.
package fetch
