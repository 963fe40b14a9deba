// Package s3store is the runner's store for s3:// locations: outputs
// uploaded (multipart, parts sent from the file with their CRC32C, hashed
// as they are read), inputs downloaded in
// parallel ranges and verified, manifests written and read, through the AWS
// SDK for Go v2 against S3 or any S3-compatible server. Importing it
// registers it with runner/objstore for the scheme "s3"; the fetch helper
// wurzel-fetch imports it and serves it to the runner through
// runner/storehelper (see runner/objstore).
package s3store
