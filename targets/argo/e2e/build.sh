#!/usr/bin/env bash
# Builds the Argo end-to-end harness into $E2E_BUILD (default bin/e2e).
#
# The harness drives Argo's workflow controller through its unexported
# operator, so its test file must be compiled inside Argo's
# workflow/controller package. `go build -overlay` refuses files under the
# module cache, so this script copies Argo's module (never committed: it is
# fetched from the module proxy like any dependency), adds the harness files
# of argooverlay/, and builds with -modfile: the copy's own go.mod stays as
# Argo wrote it; the generated one adds this module and wurzel.
#
# Outputs: controller.test (the harness), argoexec (Argo's executor, built
# from the copy's cmd/argoexec, unchanged) and wurzel-e2e-container (the
# container runtime the harness's kubelet starts every container with).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${E2E_BUILD:-$root/bin/e2e}
argo_mod=github.com/argoproj/argo-workflows/v3
mkdir -p "$out"
out=$(cd "$out" && pwd)

cd "$here"
go mod download "$argo_mod"
argo_dir=$(go list -m -f '{{.Dir}}' "$argo_mod")
argo_version=$(go list -m -f '{{.Version}}' "$argo_mod")

# A fresh copy each time; Go's build cache is keyed by content, so an
# unchanged package is not compiled again.
src=$out/argo
rm -rf "$src"
cp -a "$argo_dir" "$src"
chmod -R u+w "$src"
# Module zips drop symbolic links; in Argo's repository signal_linux.go is a
# link to signal_darwin.go (the same POSIX code), and the emissary does not
# build on Linux without it.
ln -sfn signal_darwin.go "$src/workflow/executor/osspecific/signal_linux.go"
cp "$here"/argooverlay/*.go "$src/workflow/controller/"

# The module file of the build: Argo's, plus this module and wurzel from
# this checkout. The checksums are Argo's and this module's.
modfile=$out/argo.mod
{
	cat "$argo_dir/go.mod"
	echo
	echo "require github.com/wurzel-dev/wurzel/targets/argo/e2e v0.0.0"
	echo "replace github.com/wurzel-dev/wurzel/targets/argo/e2e => $here"
	echo "replace github.com/wurzel-dev/wurzel => $root"
} >"$modfile.new"
sort -u "$argo_dir/go.sum" "$here/go.sum" "$root/go.sum" >"$out/argo.sum.new"
# Replace only when changed, so that go sees the same files as last time.
cmp -s "$modfile.new" "$modfile" || mv "$modfile.new" "$modfile"
cmp -s "$out/argo.sum.new" "$out/argo.sum" || mv "$out/argo.sum.new" "$out/argo.sum"
rm -f "$modfile.new" "$out/argo.sum.new"

export CGO_ENABLED=0 GOFLAGS=-mod=mod
cd "$src"
go test -c -tags wurzel_e2e -modfile="$modfile" -o "$out/controller.test" ./workflow/controller
go build -modfile="$modfile" -ldflags "-X github.com/argoproj/argo-workflows/v3.version=$argo_version" \
	-o "$out/argoexec" ./cmd/argoexec
cd "$here"
go build -o "$out/" ./cmd/wurzel-e2e-container
echo "built $out/controller.test, $out/argoexec, $out/wurzel-e2e-container (Argo $argo_version)"
