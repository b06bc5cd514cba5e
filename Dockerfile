# syntax=docker/dockerfile:1
# Build stage: the release binary (SQLite and libpq are bundled, so the runtime needs no client libs).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY api api
COPY tests tests
COPY migrations migrations
COPY openapi openapi
RUN cargo build --release -p supplier-portal && strip target/release/supplier-portal

# Runtime stage: small, non-root.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/supplier-portal --create-home portal
COPY --from=build /src/target/release/supplier-portal /usr/local/bin/supplier-portal
USER portal
WORKDIR /var/lib/supplier-portal
ENV PORTAL_BIND=0.0.0.0:8080 \
    PORTAL_DATA_DIR=/var/lib/supplier-portal/data \
    RUST_LOG=info
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["supplier-portal", "healthcheck"]
ENTRYPOINT ["supplier-portal"]
CMD ["serve"]
