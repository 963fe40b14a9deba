# wurzel's build. `make test` is what CI runs; keep it well under 20 minutes
# on 2 cores.

GO       ?= go
BIN      ?= bin/wurzel
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
FUZZTIME ?= 20s

.PHONY: all build test test-unit test-conformance fuzz bench vet fmt-check example tools

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/wurzel

# Everything: static checks, unit/golden/CLI tests, Argo conformance, a short
# fuzz run.
test: vet fmt-check test-unit test-conformance fuzz

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test-unit:
	$(GO) test -count=1 ./...

# The Argo conformance checks live in their own module so that the wurzel
# binary does not link Argo.
test-conformance:
	@if [ -f targets/argo/conformance/go.mod ]; then \
		cd targets/argo/conformance && $(GO) test -count=1 ./...; \
	fi

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./lang

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Runs the bundled example on this machine.
example: build
	$(BIN) run examples/rag-ingest
