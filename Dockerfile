# The wurzel runner image: a static wurzel binary at /wurzel and nothing
# else. The Argo target's init container runs `/wurzel copy-binary` to hand
# the binary to each step's container, so user images need no wurzel.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t ghcr.io/wurzel-dev/wurzel:TAG .

FROM golang:1.26.8 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /out/wurzel ./cmd/wurzel \
 && /out/wurzel version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wurzel /wurzel
USER 65532:65532
ENTRYPOINT ["/wurzel"]
