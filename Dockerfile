# Multi-stage build: the runtime image holds only the binary (SQLite and libpq
# are compiled in) and a CA bundle for SMTP over TLS.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY templates templates
COPY config config
RUN cargo build --release --locked

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
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
CMD ["polyphony", "serve"]
