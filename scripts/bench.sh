#!/usr/bin/env bash
# Polyphony's benchmark suite: builds the release binary with the `bench`
# feature (the commands it drives), generates data with `polyphony
# seed-synthetic`, loads the server with wrk on 127.0.0.1, and prints one table
# of every scenario's figures against its target, on SQLite and on PostgreSQL.
# Every comparison is a ratio measured in the same run.
#
#   scripts/bench.sh            # the full run (about 20 minutes on 2 cores)
#   scripts/bench.sh --quick    # a smoke run: small data, short loads (~5 minutes)
#
# PostgreSQL: POLYPHONY_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
# names a server where the script may create and drop the database polyphony_bench
# (POLYPHONY_BENCH_DB names another; POLYPHONY_BENCH_PORT moves the two servers'
# ports from 18080 and 18081, so that two runs can share a machine).
# Set POLYPHONY_BENCH_BACKENDS="sqlite" to skip PostgreSQL, and
# POLYPHONY_BENCH_SCENARIOS to run only some scenarios by number, e.g. "2 7 8"
# (8 is a share of 2's rate; "scale" is the PostgreSQL scale-out).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1

PG_ADMIN_URL=${POLYPHONY_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
BACKENDS=${POLYPHONY_BENCH_BACKENDS:-"sqlite postgres"}
SCENARIOS=" ${POLYPHONY_BENCH_SCENARIOS:-1 2 3 4 5 7 8 scale} "
# runs SCENARIO: whether this run measures it
runs() { [[ $SCENARIOS == *" $1 "* ]]; }
WORK=$ROOT/target/bench
LUA=$ROOT/scripts/bench
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/polyphony
RESULTS=$WORK/results.tsv
SLUG=additional-protocol
LONG_SLUG=regulation
ADMIN_EMAIL=bench-admin@example.org
ADMIN_PASSWORD=bench-password-not-secret
BENCH_DB=${POLYPHONY_BENCH_DB:-polyphony_bench}
PORT=${POLYPHONY_BENCH_PORT:-18080}
PORT2=$((PORT + 1))

if ((QUICK)); then
  READ_SUBMISSIONS=10000; AGG_SIZES="10000"; AGG_LARGE_PG=0
  WRITERS=20000; WRITE_SECS=10; READ_SECS=5; SURGE_SECS=8; LOGIN_SECS=5; SCALE_SECS=5
  DIRECT_COUNT=3000; READERS=500; JOURNEYERS=2000; JOURNEY_SECS=10
else
  READ_SUBMISSIONS=100000; AGG_SIZES="10000"; AGG_LARGE_PG=1000000
  WRITERS=100000; WRITE_SECS=60; READ_SECS=15; SURGE_SECS=20; LOGIN_SECS=10; SCALE_SECS=15
  DIRECT_COUNT=20000; READERS=2000; JOURNEYERS=20000; JOURNEY_SECS=30
fi

started_at=$(date +%s)
log() { printf '\n== %s (%ds)\n' "$*" $(($(date +%s) - started_at)) >&2; }

# --- tools -------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n 4096

log "building the release binary with the benchmark commands"
cargo build --release --quiet --features bench
runs 5 && cargo bench --quiet --bench aggregate --no-run 2>/dev/null

rm -rf "$WORK"
mkdir -p "$WORK"
printf 'backend\tscenario\tfigure\ttarget\tmet\n' >"$RESULTS"
: >"$WORK/aggregation.tsv"

# record BACKEND SCENARIO FIGURE TARGET MET
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }
# field NAME LINE: the value of NAME=... in a RESULT line
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
# check EXPRESSION: "yes" when awk finds it true
check() { awk "BEGIN { exit !($1) }" && echo yes || echo "NO"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / ($2 > 0 ? $2 : 1) }"; }

# wrk_run SECONDS CONNECTIONS SCRIPT URL [extra wrk args]: prints the RESULT
# line; BENCH_THREADS sets wrk's threads (2 by default)
wrk_run() {
  local secs=$1 conns=$2 script=$3 url=$4
  shift 4
  local threads=${BENCH_THREADS:-2}
  ((conns < threads)) && threads=$conns
  BENCH_LUA_DIR=$LUA wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$LUA/$script" "$@" "$url" | grep '^RESULT'
}

SERVER_PIDS=()
# start_server DATABASE_URL PORT DATA_DIR: starts the release binary in the background
start_server() {
  local url=$1 port=$2 dir=$3
  mkdir -p "$dir"
  POLYPHONY__DATABASE__URL=$url POLYPHONY__SERVER__PORT=$port \
    POLYPHONY__APP__DATA_DIR=$dir POLYPHONY__EMAIL__FILE_DIR=$dir/outbox \
    POLYPHONY__APP__SECRET_KEY=$SECRET POLYPHONY__APP__DEMO=false \
    POLYPHONY__APP__BASE_URL=http://127.0.0.1:$port \
    POLYPHONY__LIMITS__LOGIN_PER_ACCOUNT=100000000 POLYPHONY__LIMITS__LOGIN_PER_IP=100000000 \
    RUST_LOG=warn "$BIN" serve >>"$dir/server.log" 2>&1 &
  SERVER_PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the server on port $port did not start; see $dir/server.log" >&2
  exit 1
}
stop_servers() {
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}
trap stop_servers EXIT
# settle: waits (at most 120 s) until the servers are idle, so work a previous
# phase left behind (requests still running, e-mails being written) does not
# count against the next one.
settle() {
  local pid before after
  # A PostgreSQL without autovacuum (as on these CI machines) lets the outbox
  # index fill with dead entries until claiming due e-mails takes seconds:
  # between phases the bench does what autovacuum would.
  if [[ ${backend:-} == postgres && $(psql "$url" -Atc "SHOW autovacuum") == off ]]; then
    psql "$url" -qc "VACUUM ANALYZE"
  fi
  for _ in $(seq 1 120); do
    before=0; after=0
    for pid in "${SERVER_PIDS[@]}"; do
      before=$((before + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    sleep 1
    for pid in "${SERVER_PIDS[@]}"; do
      after=$((after + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
    done
    # clock ticks are 1/100 s: under 5 % of one core
    ((after - before < 5)) && return 0
  done
  echo "the servers did not settle" >&2
}
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# record_share BACKEND SCENARIO RESULT BASELINE TARGET: records the rate of
# the RESULT line as a share of the BASELINE line's, met when at least TARGET
record_share() {
  local share
  share=$(ratio "$(field ok_rps "$3")" "$(field ok_rps "$4")")
  record "$1" "$2" "$(field ok_rps "$3") / $(field ok_rps "$4") = $share" ">= $5" "$(check "$share >= $5")"
}
# cpu_ticks PID: CPU time the process has used, user and system, in 1/100 s
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# cpu_ms_per ticks requests: milliseconds of CPU per request
cpu_ms_per() { awk "BEGIN { printf \"%.2f\", $1 * 10 / ($2 > 0 ? $2 : 1) }"; }

# median3 COMMAND...: runs a wrk_run COMMAND three times; prints the RESULT line
# of the median rate, with the three runs' requests and answers expected added
# (runs_requests=, runs_ok=). On PostgreSQL one build's signed-in rate varies
# up to twice between 5-second runs on 2 cores.
median3() {
  local lines sums
  lines=$(for _ in 1 2 3; do "$@"; done)
  sums=$(for f in requests ok; do
    printf ' runs_%s=%s' "$f" "$(while read -r line; do field "$f" "$line"; done <<<"$lines" | awk '{ s += $1 } END { print s }')"
  done)
  while read -r line; do printf '%s\t%s\n' "$(field ok_rps "$line")" "$line"; done <<<"$lines" |
    sort -n | sed -n 2p | cut -f2- | sed "s/\$/$sums/"
}

# signed_in_vs_anonymous BACKEND URL_BASE PATH LABEL READERS_FILE: the same page
# for anonymous readers, then for participants with a saved draft, 64
# connections each, gzip, three runs each; records the ratio of the median
# rates, the signed-in p99 of the median run and the server's CPU per page of
# each (over the three runs).
signed_in_vs_anonymous() {
  local backend=$1 base=$2 path=$3 label=$4 readers=$5 server=${SERVER_PIDS[0]}
  local t0 anon_ticks signed_ticks r_anon r_signed
  t0=$(cpu_ticks "$server")
  r_anon=$(median3 wrk_run "$READ_SECS" 64 read.lua "$base$path")
  anon_ticks=$(($(cpu_ticks "$server") - t0))
  settle
  t0=$(cpu_ticks "$server")
  r_signed=$(BENCH_WRITERS=$readers BENCH_PATH=$path median3 wrk_run "$READ_SECS" 64 signed_in.lua "$base")
  signed_ticks=$(($(cpu_ticks "$server") - t0))
  echo "$label anonymous: $r_anon" >&2
  echo "$label signed in: $r_signed" >&2
  local p99
  p99=$(field p99_ms "$r_signed")
  record_share "$backend" "7. $label signed in: rps / anonymous rps" "$r_signed" "$r_anon" 0.15
  record "$backend" "7. $label signed in: p99 at 64 connections, errors" \
    "$p99 ms, $(($(field shed "$r_signed") + $(field other_status "$r_signed") + $(field socket_errors "$r_signed")))" \
    "<= 50 ms, 0" "$(check "$p99 <= 50 && $(field runs_ok "$r_signed") == $(field runs_requests "$r_signed")")"
  record "$backend" "7. $label: server CPU per page signed in / anonymous" \
    "$(cpu_ms_per "$signed_ticks" "$(field runs_requests "$r_signed")") / $(cpu_ms_per "$anon_ticks" "$(field runs_requests "$r_anon")") ms" "-" "-"
}

# cli DATABASE_URL ARGS...: the command line on a database
cli() {
  local url=$1
  shift
  POLYPHONY__DATABASE__URL=$url POLYPHONY__APP__DATA_DIR=$WORK/cli-data \
    POLYPHONY__APP__SECRET_KEY=$SECRET POLYPHONY__APP__DEMO=false RUST_LOG=warn "$BIN" "$@"
}

SECRET=$(head -c 64 /dev/urandom | base64 -w0)

# write_load BACKEND URL_BASE SECONDS CONNECTIONS ROUND LABEL: submissions with
# pre-made writers; prints the RESULT line and leaves receipts beside the writers file
write_load() {
  local base=$1 secs=$2 conns=$3 round=$4 label=$5 writers=$6
  BENCH_WRITERS=$writers BENCH_RECEIPTS=$(dirname "$writers")/$label.receipts \
    BENCH_PATH=/consultations/$SLUG/rounds/$round/submission \
    wrk_run "$secs" "$conns" write.lua "$base"
}

bench_backend() {
  local backend=$1 url
  local dir=$WORK/$backend
  mkdir -p "$dir"
  case $backend in
    sqlite) url="sqlite://$dir/polyphony.sqlite3" ;;
    postgres)
      psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"
      url="${PG_ADMIN_URL%/*}/$BENCH_DB"
      ;;
  esac
  local base=http://127.0.0.1:$PORT
  local round_path=/consultations/$SLUG/rounds

  log "$backend: seeding $READ_SUBMISSIONS submissions and publishing their report"
  cli "$url" migrate >/dev/null
  echo "$ADMIN_PASSWORD" | cli "$url" create-admin --email "$ADMIN_EMAIL" >/dev/null
  local seeded
  seeded=$(cli "$url" seed-synthetic --round 1 --participants "$READ_SUBMISSIONS")
  echo "$seeded" >&2
  record "$backend" "seed-synthetic $READ_SUBMISSIONS" "$(sed -n 's/.* in \(.*\) s$/\1 s/p' <<<"$seeded")" "-" "-"
  local published
  published=$(cli "$url" publish-report --round 1)
  echo "$published" >&2
  record "$backend" "publish report of $READ_SUBMISSIONS" "$(sed -n 's/.* in \(.*\) s$/\1 s/p' <<<"$published")" "-" "-"
  cli "$url" bench-skip-mail >&2
  cli "$url" bench-writers --round 2 --count "$WRITERS" --out "$dir/writers" >/dev/null
  (cd "$dir" && split -n r/2 -d writers writers.)
  cli "$url" bench-writers --round 2 --count "$READERS" --saved --out "$dir/readers" >/dev/null
  cli "$url" bench-writers --round 2 --count "$JOURNEYERS" --out "$dir/journeyers" >/dev/null
  cli "$url" bench-long-draft --slug "$LONG_SLUG" >/dev/null
  cli "$url" bench-writers --consultation "$LONG_SLUG" --round 1 --count "$READERS" --saved \
    --out "$dir/long-readers" >/dev/null

  start_server "$url" "$PORT" "$dir/app"
  local server=${SERVER_PIDS[0]}
  local css
  css=$(curl -fs "$base/" | grep -o '/assets/[^"]*\.css' | head -1)

  local rate=0
  if runs 2; then
  settle
  log "$backend: 2. write (${WRITE_SECS}s of authenticated submissions, 64 connections)"
  local r_write rate errors
  r_write=$(write_load "$base" "$WRITE_SECS" 64 2 write "$dir/writers")
  echo "write: $r_write" >&2
  rate=$(field ok_rps "$r_write")
  errors=$(($(field shed "$r_write") + $(field other_status "$r_write") + $(field socket_errors "$r_write")))
  local target=1000
  [[ $backend == postgres ]] && target=500
  record "$backend" "2. write: submits/s over ${WRITE_SECS}s" "$rate" ">= $target" "$(check "$rate >= $target")"
  record "$backend" "2. write: errors" "$errors" "0" "$(check "$errors == 0")"
  cat "$dir"/write.receipts.* >"$dir/write.receipts"
  local acked stored
  acked=$(wc -l <"$dir/write.receipts")
  stored=$(cli "$url" check-receipts "$dir/write.receipts" | awk '{ print $1 }') || true
  record "$backend" "2. write: acknowledged receipts stored" "$stored / $acked" "all" "$(check "$stored == $acked && $acked > 0")"
  fi

  if runs 3; then
  settle
  log "$backend: 3. surge (writes at 1024 connections while readers browse)"
  local r_calm r_surge r_readers r_after rss_before rss_peak=0 offered
  r_calm=$(wrk_run 5 8 read.lua "$base$round_path/1")
  rss_before=$(rss_mb "$server")
  write_load "$base" "$SURGE_SECS" 1024 2 surge "$dir/writers" >"$dir/surge.result" &
  local surge_pid=$!
  sleep 1
  r_readers=$(wrk_run $((SURGE_SECS - 3)) 8 read.lua "$base$round_path/1")
  while kill -0 "$surge_pid" 2>/dev/null; do
    local now_rss
    now_rss=$(rss_mb "$server")
    ((now_rss > rss_peak)) && rss_peak=$now_rss
    sleep 0.5
  done
  wait "$surge_pid" || true
  r_surge=$(cat "$dir/surge.result")
  r_after=$(write_load "$base" 5 64 2 after "$dir/writers")
  echo "readers before: $r_calm" >&2
  echo "surge writes: $r_surge" >&2
  echo "readers during: $r_readers" >&2
  echo "writes after: $r_after" >&2
  offered=$(ratio "$(field rps "$r_surge")" "$rate")
  record "$backend" "3. surge: offered writes / absorbable" "$(field rps "$r_surge") / $rate = ${offered}x" ">= 30x" "$(check "$offered >= 30")"
  record "$backend" "3. surge: refused with 503/429 + Retry-After" \
    "$(field shed "$r_surge") (without Retry-After: $(field shed_without_retry_after "$r_surge"), other errors: $(($(field other_status "$r_surge") + $(field socket_errors "$r_surge"))))" \
    "all excess" "$(check "$(field shed "$r_surge") > 0 && $(field shed_without_retry_after "$r_surge") == 0 && $(field other_status "$r_surge") == 0")"
  p99=$(field p99_ms "$r_readers")
  record "$backend" "3. surge: public page p99 during surge (calm: $(field p99_ms "$r_calm") ms)" "$p99 ms" "<= 200 ms" "$(check "$p99 <= 200")"
  record "$backend" "3. surge: server memory before / peak" "$rss_before / $rss_peak MB" "bounded" "$(check "$rss_peak < $rss_before + 500")"
  local after_share
  after_share=$(ratio "$(field ok_rps "$r_after")" "$rate")
  record "$backend" "3. surge: write rate right after / before" "$(field ok_rps "$r_after") / $rate = $after_share" "recovers (>= 0.8, no error)" \
    "$(check "$after_share >= 0.8 && $(field shed "$r_after") == 0 && $(field other_status "$r_after") == 0")"
  cat "$dir"/surge.receipts.* "$dir"/after.receipts.* >"$dir/surge.receipts" 2>/dev/null || true
  acked=$(wc -l <"$dir/surge.receipts")
  stored=$(cli "$url" check-receipts "$dir/surge.receipts" | awk '{ print $1 }') || true
  record "$backend" "3. surge: acknowledged receipts stored" "$stored / $acked" "all" "$(check "$stored == $acked && $acked > 0")"
  fi

  if runs 4; then
  settle
  log "$backend: 4. login flood (32 concurrent sign-ins while readers browse)"
  local r_quiet r_busy r_logins
  # Readers browse (each of 8 pauses 10 ms between pages): a closed loop of
  # cached pages would keep both cores busy on its own, and its p99 would
  # measure the queue of the load generator, not a reader's wait.
  r_quiet=$(BENCH_PAUSE_MS=10 wrk_run "$LOGIN_SECS" 8 read.lua "$base$round_path/1")
  BENCH_WRITERS=$dir/writers BENCH_EMAIL=$ADMIN_EMAIL BENCH_PASSWORD=$ADMIN_PASSWORD \
    wrk_run $((LOGIN_SECS + 2)) 32 login.lua "$base" >"$dir/logins.result" &
  local login_pid=$!
  sleep 1
  r_busy=$(BENCH_PAUSE_MS=10 wrk_run "$LOGIN_SECS" 8 read.lua "$base$round_path/1")
  wait "$login_pid" || true
  r_logins=$(cat "$dir/logins.result")
  echo "readers alone: $r_quiet" >&2
  echo "readers with logins: $r_busy" >&2
  echo "logins: $r_logins" >&2
  local slow
  slow=$(ratio "$(field p99_ms "$r_busy")" "$(field p99_ms "$r_quiet")")
  record "$backend" "4. login flood: readers p99 loaded / alone" \
    "$(field p99_ms "$r_busy") / $(field p99_ms "$r_quiet") ms = ${slow}x ($(field ok_rps "$r_logins") logins/s)" "<= 2x" "$(check "$slow <= 2")"
  fi

  if runs 7; then
  settle
  log "$backend: 7. signed-in pages (participants with a saved draft) vs the same pages anonymous"
  signed_in_vs_anonymous "$backend" "$base" "$round_path/2" "round page" "$dir/readers"
  settle
  signed_in_vs_anonymous "$backend" "$base" "/consultations/$LONG_SLUG/rounds/1" \
    "100-article paged form" "$dir/long-readers"
  fi

  if runs 8; then
  settle
  log "$backend: 8. whole journeys (form, save, review, submit, receipt; 64 participants at once)"
  local r_journeys journey_rate journey_errors share
  r_journeys=$(BENCH_THREADS=64 BENCH_WRITERS=$dir/journeyers BENCH_RECEIPTS=$dir/journey.receipts \
    BENCH_PATH=$round_path/2 wrk_run "$JOURNEY_SECS" 64 journey.lua "$base")
  echo "journeys: $r_journeys" >&2
  journey_rate=$(field journeys_per_s "$r_journeys")
  journey_errors=$(($(field shed "$r_journeys") + $(field other_status "$r_journeys") + $(field socket_errors "$r_journeys")))
  share=$(ratio "$journey_rate" "$rate")
  record "$backend" "8. journeys/s / write submits/s" "$journey_rate / $rate = $share" ">= 0.5" "$(check "$share >= 0.5")"
  record "$backend" "8. journeys: errors" "$journey_errors" "0" "$(check "$journey_errors == 0")"
  cat "$dir"/journey.receipts.* >"$dir/journey.receipts"
  acked=$(wc -l <"$dir/journey.receipts")
  stored=$(cli "$url" check-receipts "$dir/journey.receipts" | awk '{ print $1 }') || true
  record "$backend" "8. journeys: receipts stored" "$stored / $acked" "all" "$(check "$stored == $acked && $acked > 0")"
  fi

  if [[ $backend == postgres ]] && runs scale; then
    settle
    log "$backend: scale-out (one instance, then two, on one PostgreSQL)"
    local one two_a two_b one_rate two_rate
    one=$(write_load "$base" "$SCALE_SECS" 64 2 scale1 "$dir/writers")
    start_server "$url" "$PORT2" "$dir/app2"
    write_load "$base" "$SCALE_SECS" 32 2 scale2a "$dir/writers" >"$dir/scale2a.result" &
    local pa=$!
    write_load "http://127.0.0.1:$PORT2" "$SCALE_SECS" 32 2 scale2b "$dir/writers" >"$dir/scale2b.result"
    wait $pa || true
    two_a=$(cat "$dir/scale2a.result")
    two_b=$(cat "$dir/scale2b.result")
    echo "one instance: $one" >&2
    echo "two instances: $two_a | $two_b" >&2
    one_rate=$(field ok_rps "$one")
    two_rate=$(awk "BEGIN { printf \"%.1f\", $(field ok_rps "$two_a") + $(field ok_rps "$two_b") }")
    record "$backend" "scale-out: submits/s one instance -> two" "$one_rate -> $two_rate" "rises (>= 1.1x)" "$(check "$two_rate >= 1.1 * $one_rate")"
  fi
  if runs 1; then
  settle
  log "$backend: 1. read (report of $READ_SUBMISSIONS submissions vs the stylesheet, 64 connections)"
  local r_css r_report
  r_css=$(wrk_run "$READ_SECS" 64 read.lua "$base$css")
  r_report=$(wrk_run "$READ_SECS" 64 read.lua "$base$round_path/1/report")
  echo "css: $r_css" >&2
  echo "report: $r_report" >&2
  local share p99
  p99=$(field p99_ms "$r_report")
  record_share "$backend" "1. read: report rps / stylesheet rps" "$r_report" "$r_css" 0.50
  if [[ $(field ok "$r_report") -gt 0 ]]; then
    record "$backend" "1. read: report p99" "$p99 ms" "<= 50 ms" "$(check "$p99 <= 50")"
  else
    record "$backend" "1. read: report p99" "none answered within 10 s" "<= 50 ms" "NO"
  fi
  fi

  stop_servers

  if runs 2; then
  log "$backend: direct commits through diesel (no HTTP)"
  local direct
  local out
  out=$(cli "$url" bench-direct --round 3 --count "$DIRECT_COUNT")
  direct=$(awk '$1 == "direct_submits_per_s" { print $2 }' <<<"$out")
  share=$(ratio "$rate" "$direct")
  record "$backend" "2. write: HTTP submits/s / direct diesel commits/s" "$rate / $direct = $share" ">= 0.25" "$(check "$share >= 0.25")"
  # What the analysis search adds to a submit's transaction (queueing it), as
  # a share of a direct commit; then, as a share of an HTTP submit of the
  # write scenario, that plus what the background worker spends indexing it:
  # the most the write rate can drop if that work takes the submits' CPU.
  local queued indexed drop
  queued=$(awk '$1 == "analysis_queue_ms_per_submit" { print $2, $4 }' <<<"$out")
  indexed=$(awk '$1 == "analysis_index_ms_per_first_submit" { print $2 }' <<<"$out")
  record "$backend" "2b. analysis search: queueing, share of a direct commit" "${queued#* } %" "<= 10 %" "$(check "${queued#* } <= 10")"
  drop=$(awk "BEGIN { printf \"%.1f\", (${queued%% *} + $indexed) * $rate / 10 }")
  record "$backend" "2c. analysis search: queueing + background indexing, share of an HTTP submit" "$drop % (${queued%% *} + $indexed ms)" "<= 10 %" "$(check "$drop <= 10")"
  fi

  runs 5 || return 0
  log "$backend: 5. aggregation"
  local sizes="$AGG_SIZES"
  local round=4
  for n in $sizes; do
    cli "$url" bench-writers --round $round --count 0 --out /dev/null >/dev/null
    cli "$url" seed-synthetic --round $round --participants "$n" >/dev/null
    agg "$backend" "$url" $round "$n"
    round=$((round + 1))
  done
  agg "$backend" "$url" 1 "$READ_SUBMISSIONS"
  if [[ $backend == postgres && $AGG_LARGE_PG -gt 0 ]]; then
    cli "$url" bench-writers --round $round --count 0 --out /dev/null >/dev/null
    log "$backend: seeding $AGG_LARGE_PG submissions"
    cli "$url" seed-synthetic --round $round --participants "$AGG_LARGE_PG" >&2
    agg "$backend" "$url" $round "$AGG_LARGE_PG"
  fi
}

# agg BACKEND URL ROUND SUBMISSIONS: times the aggregation in a process of its own
agg() {
  local backend=$1 url=$2 round=$3 n=$4 out secs mem target="-" met="-"
  out=$(cli "$url" bench-aggregate --round "$round")
  echo "aggregate $n: $out" >&2
  secs=$(awk '{ print $2 }' <<<"$out")
  mem=$(awk '{ print $6 }' <<<"$out")
  if [[ $backend == postgres && $n -eq 1000000 ]]; then
    target="<= 10 s, <= 300 MB"; met=$(check "$secs <= 10 && $mem <= 300")
  elif [[ $backend == sqlite && $n -eq 100000 ]]; then
    target="<= 2 s"; met=$(check "$secs <= 2")
  fi
  record "$backend" "5. aggregate $n x 12" "$secs s, $mem MB" "$target" "$met"
  echo "$backend $n $secs" >>"$WORK/aggregation.tsv"
}

for backend in $BACKENDS; do
  bench_backend "$backend"
done

runs 5 && log "in-process benchmarks (criterion)"
runs 5 && cargo bench --quiet --bench aggregate -- --quick 2>/dev/null | grep -E '^[a-z].*|time:' >"$WORK/criterion.txt" || true
runs 5 && cat "$WORK/criterion.txt" >&2

log "growth of aggregation time"
while read -r backend n secs; do
  first=$(awk -v b="$backend" '$1 == b { print $2, $3; exit }' "$WORK/aggregation.tsv")
  [[ -z $first ]] && continue
  read -r n0 s0 <<<"$first"
  if ((n > n0)); then
    growth=$(awk "BEGIN { printf \"%.2f\", ($secs / $s0) / ($n / $n0) }")
    record "$backend" "5. aggregation time per submission at $n / at $n0" "$growth" "near 1 (linear)" "$(check "$growth <= 1.5")"
  fi
done <"$WORK/aggregation.tsv"

echo
echo "Polyphony benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(($(date +%s) - started_at)) s"
column -t -s $'\t' "$RESULTS"
