# The wurzel runner image: static binaries at /wurzel and /wurzel-fetch (the
# fetch helper for `source` inputs) and nothing else. The Argo target's init
# container runs `/wurzel copy-binary` to hand both to each step's container,
# so user images need no wurzel.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t ghcr.io/wurzel-dev/wurzel:TAG .

FROM golang:1.26.8 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /out/ ./cmd/wurzel ./cmd/wurzel-fetch \
 && /out/wurzel version && /out/wurzel-fetch --help

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wurzel /out/wurzel-fetch /
USER 65532:65532
ENTRYPOINT ["/wurzel"]
