// Package sourceaddr reads the go-getter addresses of `source` inputs the
// way go-getter's Detect does, so that generate-time and planning code can
// tell a local path from a remote address without linking go-getter.
//
// go-getter's root package links every getter it ships, including the Google
// Cloud Storage and AWS SDKs, whose package initialisation costs about 8 ms
// in every process that links them. Only the fetch helper (cmd/wurzel-fetch)
// downloads sources, so only it links go-getter; everything else classifies
// addresses here. A parity test holds this package to go-getter's own
// detectors.
package sourceaddr
