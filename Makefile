# wurzel's build. `make test` is what CI runs; keep it well under 20 minutes
# on 2 cores.

GO       ?= go
BINDIR   ?= bin
BIN      := $(BINDIR)/wurzel
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
# A count, not a duration: with a duration, Go 1.26's fuzz coordinator can
# report "context deadline exceeded" when the time runs out while a worker is
# busy (go.dev/issue/75804, fixed in Go 1.27), failing a clean run.
FUZZTIME ?= 10000x

.PHONY: all build image test test-unit test-conformance e2e fuzz bench vet fmt-check staticcheck example tools

all: build

# wurzel, its fetch helper and the step runner, side by side: `wurzel step
# exec` looks for wurzel-fetch next to itself when a step has a `source`
# input, and `wurzel copy-binary` (in Argo pods) copies wurzel-step from
# there. Static (CGO_ENABLED=0), so that `wurzel run --isolation container`
# can start them in any image, one without a C library included.
build:
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BINDIR)/ ./cmd/wurzel ./cmd/wurzel-fetch ./cmd/wurzel-step

# The runner image (see docs/targets/argo.md): static /wurzel, /wurzel-fetch
# and /wurzel-step, user 65532, nothing else, built without a container daemon
# as an OCI image-layout archive. IMAGE_PLATFORMS with several entries
# (linux/amd64,linux/arm64) gives a multi-arch image index.
IMAGE_REPO      ?= ghcr.io/wurzel-dev/wurzel
IMAGE_PLATFORMS ?= linux/$(shell $(GO) env GOARCH)
IMAGE_ARCHIVE   ?= $(BINDIR)/wurzel-image.oci.tar
IMAGE_LDFLAGS   := -s -w -X main.version=$(VERSION)

image:
	@set -e; dirs=""; \
	for p in $$(echo "$(IMAGE_PLATFORMS)" | tr ',' ' '); do \
		os=$${p%%/*}; rest=$${p#*/}; arch=$${rest%%/*}; \
		variant=""; [ "$$rest" = "$$arch" ] || variant=$${rest#*/}; \
		out=$(BINDIR)/image/$$(echo $$p | tr '/' '_'); \
		echo "build $$p -> $$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch GOARM=$${variant#v} $(GO) build -trimpath \
			-ldflags "$(IMAGE_LDFLAGS)" -o $$out/ ./cmd/wurzel ./cmd/wurzel-fetch ./cmd/wurzel-step; \
		dirs="$$dirs $$p=$(CURDIR)/$$out"; \
	done; \
	cd tools/image && $(GO) run . -o $(CURDIR)/$(IMAGE_ARCHIVE) \
		-ref $(IMAGE_REPO):$(VERSION) -version $(VERSION) $$dirs
	@echo "wrote $(IMAGE_ARCHIVE) ($(IMAGE_REPO):$(VERSION))"

# Everything: static checks, unit/golden/CLI tests, Argo conformance, a short
# fuzz run.
test: vet fmt-check staticcheck test-unit test-conformance fuzz

# The command line must keep building on macOS and Windows too (the runner
# itself targets Linux and macOS): vet type-checks every package for them.
vet:
	$(GO) vet ./...
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) vet ./...

# gofmt reads standard input when given no files, so never call it with an
# empty list.
fmt-check:
	@files=$$(git ls-files '*.go' 2>/dev/null); \
	[ -n "$$files" ] || files=$$(find . -name '*.go' -not -path './.git/*'); \
	out=$$(gofmt -l $$files); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# staticcheck (installed by `make tools` and .ci/run): skipped with a note
# when it is missing, except in CI, where that fails.
STATICCHECK_BIN := $(shell command -v staticcheck 2>/dev/null || echo "$$($(GO) env GOPATH)/bin/staticcheck")

staticcheck:
	@if [ -x "$(STATICCHECK_BIN)" ]; then \
		echo "staticcheck ./..."; $(STATICCHECK_BIN) ./...; \
	elif [ -n "$$CI" ]; then \
		echo "staticcheck is not installed (make tools installs it)"; exit 1; \
	else \
		echo "staticcheck is not installed: skipped (make tools installs it)"; \
	fi

test-unit:
	$(GO) test -count=1 ./...

# The Argo conformance checks live in their own module so that the wurzel
# binary does not link Argo.
test-conformance:
	@if [ -f targets/argo/conformance/go.mod ]; then \
		cd targets/argo/conformance && $(GO) test -count=1 ./...; \
	fi

# Fuzz targets that `make test` runs briefly, as package:FuzzName. A target
# that does not exist fails the run: `go test -fuzz` alone would pass
# silently.
FUZZ_TARGETS ?= ./lang:FuzzLoad ./format:FuzzSource ./cmd/wurzel:FuzzDiagnostics ./internal/srclimit:FuzzCheck ./internal/yamlout:FuzzScalarRoundTrip ./internal/yamlout:FuzzYAMLString ./internal/sourceaddr:FuzzParity ./runner:FuzzRedact ./runner:FuzzStepLogAgrees ./checkcache:FuzzUnmarshal ./runner/paramsfile/yamlfile:FuzzDecode ./runner/spec:FuzzDecodeFastAgrees ./runner/manifest:FuzzMarshalAgrees ./runner/manifest:FuzzDecodeFastAgrees ./internal/sourceaddr:FuzzSyntaxAgrees ./lang:FuzzItemParse ./lsp:FuzzCursor

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		$(GO) test -list "^$$name$$" $$pkg | grep -qx "$$name" || \
			{ echo "fuzz target $$name not found in $$pkg"; exit 1; }; \
		echo "$(GO) test -fuzz $$name -fuzztime $(FUZZTIME) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# -p 1: one package's benchmarks at a time, so that they do not compete for
# the CPU with another package's and skew each other. Those that create
# thousands of files (generate-dvc-new, directory outputs) time the file
# system too: on ext4, creating a file next to many deleted in the last
# minutes (a /tmp after test runs) costs up to a millisecond. TMPDIR=DIR,
# with DIR new at the file system's top, measures wurzel's own cost.
bench:
	$(GO) test -p 1 -run '^$$' -bench . -benchmem ./...

# The object-storage servers the runner's tests start on 127.0.0.1: S3
# (versitygw) and a GCS emulator (fake-gcs-server). The tests skip without
# them unless CI is set. staticcheck is the linter `make test` runs.
VERSITYGW      ?= github.com/versity/versitygw/cmd/versitygw@v1.8.0
FAKE_GCS_SERVER ?= github.com/fsouza/fake-gcs-server@v1.56.1
STATICCHECK     ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

tools:
	$(GO) install $(VERSITYGW)
	$(GO) install $(FAKE_GCS_SERVER)
	$(GO) install $(STATICCHECK)

# The Argo end-to-end harness (docs/targets/argo.md, "Executed by Argo's
# own code"): every example and valid test pipeline generated for Argo and
# run by Argo's workflow controller and executor, pods run for real, outputs
# compared with wurzel run's; then the runner image loaded into podman. It
# needs root (containers are mount namespaces), versitygw and podman, and is
# kept out of `make test`: its first build compiles Argo (most of ten
# minutes on 2 cores); later builds take a few.
E2E_BUILD ?= $(BINDIR)/e2e

e2e: build image
	cd targets/argo/e2e && $(GO) vet ./... && $(GO) test -count=1 ./...
	cd tools/image && $(GO) vet ./... && WURZEL_IMAGE_ARCHIVE=$(CURDIR)/$(IMAGE_ARCHIVE) $(GO) test -count=1 ./...
	E2E_BUILD=$(CURDIR)/$(E2E_BUILD) targets/argo/e2e/build.sh
	cd $(E2E_BUILD)/argo/workflow/controller && \
		WURZEL_E2E_ROOT=$(CURDIR) WURZEL_E2E_BIN=$(CURDIR)/$(BINDIR) \
		WURZEL_E2E_RUNNER_IMAGE=$(CURDIR)/$(IMAGE_ARCHIVE) \
		WURZEL_E2E_ARGOEXEC=$(CURDIR)/$(E2E_BUILD)/argoexec \
		WURZEL_E2E_RUNTIME=$(CURDIR)/$(E2E_BUILD)/wurzel-e2e-container \
		WURZEL_E2E_LOG=$(CURDIR)/$(E2E_BUILD)/controller.log \
		$(CURDIR)/$(E2E_BUILD)/controller.test -test.run '^TestWurzelOnArgo$$' -test.v -test.timeout 30m

# Runs the bundled examples on this machine.
example: build
	$(BIN) run examples/rag-ingest
	$(BIN) run examples/grid-search
