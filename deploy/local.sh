#!/usr/bin/env bash
# The deployment of deploy/ on one machine, for the tests and the benchmarks (docs/deploy.md):
# Debian's nginx with deploy/nginx/cursus.conf in front of N built app processes
# (node dist/main.js start, NODE_ENV=production), on Debian's PostgreSQL or the DATABASE_URL given.
# Nothing is installed and nothing runs as a service: everything lives under STATE_DIR.
#
#   deploy/local.sh start          build if needed, start the processes and nginx, wait until ready
#   deploy/local.sh stop           SIGTERM to every process (each stops within SHUTDOWN_TIMEOUT_MS), nginx quits
#   deploy/local.sh kill N         SIGKILL app process N (1…PROCESSES): a crash, for the tests
#   deploy/local.sh restart N      start app process N again (after a kill), wait until it is ready
#   deploy/local.sh status         which processes answer /readyz
#
# Settings (environment): PROCESSES (2), HTTP_PORT (8080, nginx), APP_PORT (3001: the first
# process; the others follow), STATE_DIR (.deploy-local), DIST (dist: the build to run),
# DATABASE_URL (else a database `cursus` on Debian's local PostgreSQL cluster, made once),
# SESSION_SECRET (else one made once in STATE_DIR). Every other variable reaches the processes
# as it is (LOG_LEVEL, CURSUS_PROFILE, MAX_EVENT_LOOP_DELAY_MS …).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PROCESSES="${PROCESSES:-2}"
HTTP_PORT="${HTTP_PORT:-8080}"
APP_PORT="${APP_PORT:-3001}"
STATE_DIR="$(mkdir -p "${STATE_DIR:-$root/.deploy-local}" && cd "${STATE_DIR:-$root/.deploy-local}" && pwd)"
DIST="$(cd "$root" && mkdir -p "${DIST:-dist}" && cd "${DIST:-dist}" && pwd)"
NGINX="${NGINX:-/usr/sbin/nginx}"

say() { printf '%s\n' "$*" >&2; }
die() { say "deploy/local.sh: $*"; exit 1; }
port_of() { echo $((APP_PORT + $1 - 1)); }

ready() { # url, seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

database_url() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; return; fi
  command -v pg_lsclusters >/dev/null || die "no DATABASE_URL and no Debian PostgreSQL: apt-get install -y postgresql (or set DATABASE_URL)"
  local password_file="$STATE_DIR/db-password"
  if [ ! -f "$password_file" ]; then
    (umask 077; openssl rand -hex 16 >"$password_file")
    local password; password="$(cat "$password_file")"
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = 'cursus') then create role cursus login; end if;
end \$\$;
alter role cursus password '$password';
SQL
    su postgres -c "psql -tAc \"select 1 from pg_database where datname = 'cursus'\"" | grep -q 1 || su postgres -c "createdb -O cursus cursus"
  fi
  local port; port="$(pg_lsclusters -h | awk '$4 == "online" { print $3; exit }')"
  [ -n "$port" ] || die "Debian's PostgreSQL is not running: pg_ctlcluster 15 main start"
  echo "postgres://cursus:$(cat "$password_file")@127.0.0.1:$port/cursus"
}

session_secret() {
  if [ -n "${SESSION_SECRET:-}" ]; then echo "$SESSION_SECRET"; return; fi
  [ -f "$STATE_DIR/session-secret" ] || (umask 077; openssl rand -hex 32 >"$STATE_DIR/session-secret")
  cat "$STATE_DIR/session-secret"
}

start_process() { # n
  local n=$1 port; port="$(port_of "$1")"
  (
    cd "$root"
    export NODE_ENV=production HOST=127.0.0.1 PORT="$port" TRUST_PROXY=127.0.0.1
    export DATABASE_URL="$DB_URL" SESSION_SECRET="$SECRET" BASE_URL="${BASE_URL:-http://127.0.0.1:$HTTP_PORT}"
    exec node --enable-source-maps "$DIST/main.js" start </dev/null >>"$STATE_DIR/app-$n.log" 2>&1
  ) &
  echo $! >"$STATE_DIR/app-$n.pid"
  ready "http://127.0.0.1:$port/readyz" 60 || { tail -20 "$STATE_DIR/app-$n.log" >&2; die "app process $n (port $port) is not ready"; }
  say "app process $n ready on 127.0.0.1:$port (pid $(cat "$STATE_DIR/app-$n.pid"))"
}

nginx_conf() {
  local servers="" n
  for n in $(seq 1 "$PROCESSES"); do servers+="    server 127.0.0.1:$(port_of "$n") max_fails=1 fail_timeout=5s;"$'\n'; done
  mkdir -p "$STATE_DIR/nginx/tmp"
  # Started by root, nginx's workers run as nobody: they buffer large answers here.
  chmod 1777 "$STATE_DIR/nginx/tmp"
  # The site file as a city installs it, with this run's ports.
  awk -v servers="$servers" -v http="$HTTP_PORT" '
    /# servers:begin/ { print; printf "%s", servers; skip = 1; next }
    /# servers:end/ { skip = 0 }
    skip { next }
    /# listen:http/ { print "    listen 127.0.0.1:" http ";"; next }
    { print }' "$root/deploy/nginx/cursus.conf" >"$STATE_DIR/nginx/cursus.conf"
  cat >"$STATE_DIR/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $STATE_DIR/nginx/nginx.pid;
error_log $STATE_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log $STATE_DIR/nginx/access.log;
  client_body_temp_path $STATE_DIR/nginx/tmp/body;
  proxy_temp_path $STATE_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $STATE_DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $STATE_DIR/nginx/tmp/uwsgi;
  scgi_temp_path $STATE_DIR/nginx/tmp/scgi;
  include $STATE_DIR/nginx/cursus.conf;
}
CONF
}

# Running, and not a zombie (a killed process whose parent has not reaped it yet).
alive() { [ -f "$1" ] && ps -o stat= -p "$(cat "$1")" 2>/dev/null | grep -qv '^Z'; }

case "${1:-}" in
  start)
    [ -x "$NGINX" ] || die "nginx is missing: apt-get install -y nginx"
    command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
    if [ ! -f "$DIST/main.js" ]; then (cd "$root" && npm run build); fi
    DB_URL="$(database_url)"; SECRET="$(session_secret)"
    # The first process applies the migrations (under an advisory lock: the others wait for it).
    starting=()
    for n in $(seq 1 "$PROCESSES"); do
      if alive "$STATE_DIR/app-$n.pid"; then die "app process $n is already running: deploy/local.sh stop"; fi
      start_process "$n" &
      starting+=($!)
    done
    for pid in "${starting[@]}"; do wait "$pid" || die "an app process did not start (its log: $STATE_DIR/app-N.log)"; done
    nginx_conf
    "$NGINX" -t -q -c "$STATE_DIR/nginx/nginx.conf" -e "$STATE_DIR/nginx/error.log"
    "$NGINX" -c "$STATE_DIR/nginx/nginx.conf" -e "$STATE_DIR/nginx/error.log"
    ready "http://127.0.0.1:$HTTP_PORT/readyz" 20 || die "nginx does not answer on 127.0.0.1:$HTTP_PORT"
    echo "DATABASE_URL=$DB_URL" >"$STATE_DIR/env"
    echo "SESSION_SECRET=$SECRET" >>"$STATE_DIR/env"
    say "Cursus is at http://127.0.0.1:$HTTP_PORT/ ($PROCESSES processes behind nginx)"
    ;;
  kill)
    n="${2:?which process: 1…$PROCESSES}"
    alive "$STATE_DIR/app-$n.pid" || die "app process $n is not running"
    # The process started by `exec` is the node process itself.
    kill -KILL "$(cat "$STATE_DIR/app-$n.pid")"
    while alive "$STATE_DIR/app-$n.pid"; do sleep 0.05; done
    say "app process $n killed (SIGKILL)"
    ;;
  restart)
    n="${2:?which process: 1…$PROCESSES}"
    if alive "$STATE_DIR/app-$n.pid"; then die "app process $n is running"; fi
    # shellcheck disable=SC1091
    set -a; . "$STATE_DIR/env"; set +a
    DB_URL="$DATABASE_URL"; SECRET="$SESSION_SECRET"
    start_process "$n"
    ;;
  stop)
    pids=()
    for n in $(seq 1 "$PROCESSES"); do
      if alive "$STATE_DIR/app-$n.pid"; then pid="$(cat "$STATE_DIR/app-$n.pid")"; kill -TERM "$pid"; pids+=("$pid"); fi
    done
    for pid in "${pids[@]}"; do while ps -o stat= -p "$pid" 2>/dev/null | grep -qv '^Z'; do sleep 0.1; done; done
    if [ -f "$STATE_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$STATE_DIR/nginx/nginx.pid")" 2>/dev/null; then
      "$NGINX" -c "$STATE_DIR/nginx/nginx.conf" -e "$STATE_DIR/nginx/error.log" -s quit
    fi
    rm -f "$STATE_DIR"/app-*.pid
    say "stopped"
    ;;
  status)
    for n in $(seq 1 "$PROCESSES"); do
      if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$(port_of "$n")/readyz"; then echo "app $n: ready"; else echo "app $n: down"; fi
    done
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT/readyz"; then echo "nginx: ready"; else echo "nginx: down"; fi
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
