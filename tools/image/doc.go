// Command image builds the wurzel runner image, without a container daemon,
// as an OCI image-layout archive that `podman load`, `docker load` and
// `skopeo copy oci-archive:FILE ...` accept.
//
// The image holds three static binaries, /wurzel, /wurzel-fetch and
// /wurzel-step (the step runner Argo pods run), runs as
// user and group 65532 and has nothing else: no shell, no libc, no
// certificates (the runner reaches S3 and HTTPS sources with the certificate
// bundle of the step's own image, where its command runs). Given binaries
// for several platforms it writes an image index, one image per platform.
//
// It is its own module so that go-containerregistry, which assembles and
// writes the image, never becomes a dependency of wurzel itself. `make
// image` builds the binaries and runs it:
//
//	go run . -o ../../bin/wurzel-image.oci.tar -ref ghcr.io/wurzel-dev/wurzel:v1.2.3 \
//	    linux/amd64=../../bin/image/linux_amd64 linux/arm64=../../bin/image/linux_arm64
//
// The output is reproducible: the same binaries and flags give the same
// bytes (file times come from SOURCE_DATE_EPOCH, zero by default).
package main
