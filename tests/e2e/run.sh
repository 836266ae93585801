#!/usr/bin/env bash
# Polyphony's browser tests: builds the debug binary if needed, starts it on a free
# port with a fresh SQLite database, outbox and data directory (registrations
# allowed for more than a page of participants from one address), runs the tests in
# tests/e2e with Node's test runner and Chromium, stops the server, and exits with
# the tests' status. Needs `npm ci` in tests/e2e and /usr/bin/chromium (or
# E2E_CHROMIUM) and java. Screenshots go to target/e2e-screenshots/.
set -euo pipefail
# Arguments name test files of tests/e2e to run alone (default: all of them).
FILES=("$@")
cd "$(dirname "$0")/../.."
ROOT=$PWD
E2E=$ROOT/tests/e2e
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

if [ ! -d "$E2E/node_modules/playwright-core" ]; then
  echo "run 'npm ci' in tests/e2e first" >&2
  exit 2
fi

cargo build --quiet --bin polyphony
BIN=$TARGET/debug/polyphony

# Rounds of 20 submitted submissions (the demo's published round) get their
# draft report from the background job, behind a progress page that reloads
# slowly enough for axe to read it.
INLINE_BELOW=20
PROGRESS_REFRESH_SECS=600

TMP=$(mktemp -d)
PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
BASE_URL=http://127.0.0.1:$PORT
SERVER_PID=

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

POLYPHONY_ENV=e2e \
POLYPHONY__SERVER__HOST=127.0.0.1 \
POLYPHONY__SERVER__PORT=$PORT \
POLYPHONY__DATABASE__URL=sqlite://$TMP/e2e.sqlite3 \
POLYPHONY__APP__DATA_DIR=$TMP/data \
POLYPHONY__APP__BASE_URL=$BASE_URL \
POLYPHONY__APP__DEMO=true \
POLYPHONY__EMAIL__TRANSPORT=file \
POLYPHONY__EMAIL__FILE_DIR=$TMP/outbox \
POLYPHONY__LIMITS__REGISTER_PER_IP=200 \
POLYPHONY__REPORTS__INLINE_BELOW=$INLINE_BELOW \
POLYPHONY__REPORTS__PROGRESS_REFRESH_SECS=$PROGRESS_REFRESH_SECS \
  "$BIN" serve >"$TMP/server.out" 2>"$TMP/server.err" </dev/null &
SERVER_PID=$!

healthy=
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if node -e 'fetch(process.argv[1]).then(r => r.text()).then(t => process.exit(t.trim() === "ok" ? 0 : 1), () => process.exit(1))' \
    "$BASE_URL/healthz"; then
    healthy=1
    break
  fi
  sleep 0.5
done
if [ -z "$healthy" ]; then
  echo "the server did not answer $BASE_URL/healthz; its output:" >&2
  cat "$TMP/server.out" "$TMP/server.err" >&2
  exit 1
fi

ADMIN_EMAIL=$(sed -n '/^  e-mail: */{s///p;q}' "$TMP/server.out")
ADMIN_PASSWORD=$(sed -n '/^  password: */{s///p;q}' "$TMP/server.out")
# The demo participant of the consultation of two rounds.
DEMO_PASSWORD=$(sed -n '/^  passphrase: */{s///p;q}' "$TMP/server.out")
if [ -z "$ADMIN_EMAIL" ] || [ -z "$ADMIN_PASSWORD" ]; then
  echo "the server did not print the first admin's e-mail and password:" >&2
  cat "$TMP/server.out" >&2
  exit 1
fi

# The long bilingual demo, for the paged form's journey.
POLYPHONY_ENV=e2e \
POLYPHONY__DATABASE__URL=sqlite://$TMP/e2e.sqlite3 \
POLYPHONY__APP__DATA_DIR=$TMP/data \
  "$BIN" load-demo --long >/dev/null

rm -rf "$ROOT/target/e2e-screenshots" "$ROOT/target/e2e-html"
status=0
(
  cd "$E2E"
  [ "${#FILES[@]}" -gt 0 ] || FILES=(./*.test.mjs)
  E2E_BASE_URL=$BASE_URL \
  E2E_ADMIN_EMAIL=$ADMIN_EMAIL \
  E2E_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  E2E_DEMO_PASSWORD=$DEMO_PASSWORD \
  E2E_OUTBOX_DIR=$TMP/outbox \
  E2E_PROGRESS_REFRESH_SECS=$PROGRESS_REFRESH_SECS \
    node --test --test-concurrency=1 --test-reporter=spec "${FILES[@]}"
) || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- server log (stderr) ---" >&2
  tail -n 50 "$TMP/server.err" >&2
fi
stop_server
exit "$status"
