# Multi-stage build: the runtime image holds only the binary (SQLite and libpq
# are compiled in) and a CA bundle for SMTP over TLS. scripts/check-docker-context.sh
# replays the build stage (its COPY lines, .dockerignore, its RUN lines) in CI.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# The dependencies first, against stub sources: this layer is rebuilt only when
# Cargo.toml or Cargo.lock change, not at every change to Polyphony's code.
# Every target Cargo.toml declares needs a file, the bench included.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/aggregate.rs \
    && cargo build --release --locked \
    && rm -rf src benches
COPY src src
COPY migrations migrations
COPY templates templates
COPY config config
COPY benches benches
# COPY keeps the files' times, which may be older than the stubs' build:
# without the touch, cargo would take the stub binary for up to date.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /app polyphony
WORKDIR /app
COPY --from=build /src/target/release/polyphony /usr/local/bin/polyphony
COPY config config
RUN mkdir -p data && chown polyphony data
USER polyphony
ENV POLYPHONY__SERVER__HOST=0.0.0.0
EXPOSE 8080
# A real GET /healthz on the configured port: 200 only while the database
# answers. The slim image has no curl, and its /bin/sh (dash) has no /dev/tcp.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["polyphony", "healthcheck"]
CMD ["polyphony", "serve"]
