// Package datapath holds what the runner's stores share to move an
// output's bytes: the hash that follows a copy through the page cache
// (HashBehind) and reads a range of a file (HashRange), the bounded
// parallelism over a directory's files (EachFile) and the check of a file
// against its manifest entry. The local
// store (package runner) and the S3 store (runner/s3store) use it.
package datapath
