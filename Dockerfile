# The feastops container image: the static musl binary (dist profile) on an
# empty base, with the CA certificates live registry sources need (TLS to
# PostgreSQL, object storage, registry servers). For teams that pin images:
# pin the two bases below by digest (FROM image:tag@sha256:...) in your
# build, and the resulting image by digest in your pipelines.
#
#   docker build -t feastops .
#   docker run --rm -v "$PWD:/work" feastops lint feast --against feast/schema.lock.json

# Alpine's Rust targets musl natively, so the binary is static as built.
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev ca-certificates
WORKDIR /src
COPY . .
RUN cargo build --locked --profile dist --bin feastops \
    && cp target/dist/feastops /feastops \
    && /feastops --version

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /feastops /usr/local/bin/feastops
# The distroless "nonroot" user: nothing in the image runs as root.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/feastops"]
CMD ["--help"]
