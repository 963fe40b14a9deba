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

.PHONY: all build test test-unit test-conformance fuzz bench vet fmt-check staticcheck example tools

all: build

# wurzel and its fetch helper, side by side: `wurzel step exec` looks for
# wurzel-fetch next to itself when a step has a `source` input.
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BINDIR)/ ./cmd/wurzel ./cmd/wurzel-fetch

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
FUZZ_TARGETS ?= ./lang:FuzzLoad ./format:FuzzSource ./cmd/wurzel:FuzzDiagnostics ./internal/srclimit:FuzzCheck ./internal/yamlout:FuzzScalarRoundTrip ./internal/yamlout:FuzzYAMLString ./internal/sourceaddr:FuzzParity

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		$(GO) test -list "^$$name$$" $$pkg | grep -qx "$$name" || \
			{ echo "fuzz target $$name not found in $$pkg"; exit 1; }; \
		echo "$(GO) test -fuzz $$name -fuzztime $(FUZZTIME) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# -p 1: one package's benchmarks at a time, so that they do not compete for
# the CPU with another package's and skew each other.
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

# Runs the bundled examples on this machine.
example: build
	$(BIN) run examples/rag-ingest
	$(BIN) run examples/grid-search
