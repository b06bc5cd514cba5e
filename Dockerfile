# syntax=docker/dockerfile:1
# The SPA, built first: the release binary carries it (rust-embed), so the API alone serves the UI.
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci
COPY openapi /src/openapi
COPY frontend ./
RUN npm run build

# Build stage: the release binary (SQLite and libpq are bundled, so the runtime needs no client libs).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY api api
COPY formats formats
COPY bench bench
COPY tests tests
COPY migrations migrations
COPY openapi openapi
COPY --from=spa /src/frontend/dist frontend/dist
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
