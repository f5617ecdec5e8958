#!/usr/bin/env bash
# Samla as docs/operations.md sets it up, started for real on this one machine and checked end to end:
#
#   - Debian's PostgreSQL 15 server (package postgresql-15), a cluster of its own in a temporary directory, with a
#     role `samla` that owns the database `samla` and is no superuser (migrations run as that role);
#   - a real SMTP relay on loopback: aiosmtpd (package python3-aiosmtpd), keeping every message it takes in a Maildir;
#   - two Samla instances from the built jar, configured by env files in the format of ops/systemd/*.env.example;
#     instance 1 sends the e-mail, instance 2 runs with SAMLA_SEND_MAIL=false;
#   - nginx (Debian's package) with ops/nginx/samla.conf as it is in the repository, terminating TLS with a
#     self-signed certificate for localhost.
#
# Then, through https://localhost only (the certificate checked): health, headers, an organiser's event, a person's
# sign-up; and it checks that the ticket e-mail went out exactly once. Everything it started is stopped at the end,
# whatever happens (and only what it started).
#
#   ./mvnw -B -ntp -Pserver -DskipTests package    # or any build of target/samla.jar
#   ops/try-production.sh [path/to/samla.jar]
#
# Needs root (or sudo) only to install missing packages (postgresql-15, nginx, openssl, curl, python3-aiosmtpd) and
# to listen on ports 443 and 80; TRY_HTTPS_PORT and TRY_HTTP_PORT choose others. As root, PostgreSQL runs as the
# package's `postgres` user (it refuses root). Takes about a minute. KEEP=1 leaves the temporary directory (logs).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD

log() { printf '\n==> %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }

jar=${1:-target/samla.jar}
[[ -f $jar ]] || die "no $jar: build it first (./mvnw -B -ntp -Pserver -DskipTests package)"
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")

PG_BIN=/usr/lib/postgresql/15/bin
https_port=${TRY_HTTPS_PORT:-443}
http_port=${TRY_HTTP_PORT:-80}

# ---------------------------------------------------------------------------------------------------------------------
# Packages (Debian's), when missing
# ---------------------------------------------------------------------------------------------------------------------
packages=()
[[ -x $PG_BIN/postgres && -x $PG_BIN/initdb && -x $PG_BIN/psql ]] || packages+=(postgresql-15)
[[ -x /usr/sbin/nginx ]] || packages+=(nginx)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v curl >/dev/null 2>&1 || packages+=(curl)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || packages+=(python3-aiosmtpd)
if ((${#packages[@]} > 0)); then
  log "Installing ${packages[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    die "need root or sudo to run: apt-get install -y ${packages[*]}"
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------------------------------
# The temporary directory, and stopping everything at the end
# ---------------------------------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/samla-try.XXXXXX")
chmod 0755 "$work"   # nginx's workers (www-data) and PostgreSQL (postgres) go through it to their own directories
pg_data=$work/postgres/data
pids_samla=()
pid_nginx=""
pid_smtp=""
pg_started=""

as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  as_postgres=(runuser -u postgres --)
fi

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

# Waits (at most $2 seconds) until process $1 has exited.
await_exit() {
  local pid=$1 wait=$2
  for ((i = 0; i < wait * 10; i++)); do
    alive "$pid" || return 0
    sleep 0.1
  done
  return 1
}

show_logs() {
  local f
  for f in "$work"/samla-1.log "$work"/samla-2.log "$work"/nginx/error.log "$work"/postgres/server.log "$work"/smtp.log; do
    if [[ -s $f ]]; then
      printf '\n----- %s (last 60 lines) -----\n' "$f" >&2
      tail -n 60 "$f" >&2
    fi
  done
}

cleanup() {
  local rc=$?
  set +e
  ((rc != 0)) && show_logs
  log "Stopping everything"
  local pid exit_code running=()
  for pid in "${pids_samla[@]}"; do
    if alive "$pid"; then
      kill -TERM "$pid"
      running+=("$pid")
    else
      wait "$pid" 2>/dev/null   # it had exited already; its log says why
    fi
  done
  for pid in "${running[@]}"; do
    if ! await_exit "$pid" 30; then
      echo "Samla (pid $pid) still running 30 s after SIGTERM: killed" >&2
      kill -KILL "$pid"
      ((rc == 0)) && rc=1
    fi
    wait "$pid" 2>/dev/null
    exit_code=$?
    # SIGTERM is a clean stop: 143 (or 0).
    if [[ $exit_code != 0 && $exit_code != 143 ]]; then
      echo "Samla (pid $pid) exited with $exit_code after SIGTERM" >&2
      ((rc == 0)) && rc=1
    fi
  done
  if alive "$pid_nginx"; then
    kill -QUIT "$pid_nginx"
    await_exit "$pid_nginx" 10 || kill -KILL "$pid_nginx"
  fi
  if alive "$pid_smtp"; then
    kill -TERM "$pid_smtp"
    await_exit "$pid_smtp" 10 || kill -KILL "$pid_smtp"
  fi
  if [[ -n $pg_started ]]; then
    "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  fi
  if [[ ${KEEP:-} == 1 ]]; then
    echo "Kept $work"
  else
    rm -rf "$work"
  fi
  if ((rc == 0)); then
    printf '\ntry-production: OK\n'
  else
    printf '\ntry-production: FAILED (exit %d)\n' "$rc" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first free port from $1 on that is not already taken by this script.
taken=()
free_port() {
  local p=$1
  while port_in_use "$p" || [[ " ${taken[*]} " == *" $p "* ]]; do
    p=$((p + 1))
  done
  taken+=("$p")
  echo "$p"
}

# Waits (at most $2 seconds) until something listens on port $1; fails if process $3 has exited meanwhile.
await_port() {
  local port=$1 wait=$2 pid=${3:-}
  for ((i = 0; i < wait * 10; i++)); do
    port_in_use "$port" && return 0
    [[ -n $pid ]] && ! alive "$pid" && return 1
    sleep 0.1
  done
  return 1
}

port_in_use "$https_port" && die "port $https_port is in use (TRY_HTTPS_PORT chooses another)"
port_in_use "$http_port" && die "port $http_port is in use (TRY_HTTP_PORT chooses another)"
taken+=("$https_port" "$http_port")
pg_port=$(free_port 5433)
smtp_port=$(free_port 2525)
port_1=$(free_port 8081)
port_2=$(free_port 8082)
management_1=$(free_port 9464)
management_2=$(free_port 9465)

# ---------------------------------------------------------------------------------------------------------------------
# PostgreSQL 15: the role and database docs/operations.md has the operator create
# ---------------------------------------------------------------------------------------------------------------------
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, data in $pg_data"
mkdir -p "$work/postgres"
superuser_password=$(openssl rand -hex 24)
samla_db_password=$(openssl rand -hex 24)
printf '%s\n' "$superuser_password" >"$work/postgres/superuser.pw"
chmod 0600 "$work/postgres/superuser.pw"
if [[ $(id -u) -eq 0 ]]; then
  chown -R postgres: "$work/postgres"
fi
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$pg_data" -U postgres --pwfile="$work/postgres/superuser.pw" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-instructions >"$work/postgres/initdb.log"
rm -f "$work/postgres/superuser.pw"
"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$pg_data" -w -t 60 -l "$work/postgres/server.log" \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
pg_started=1

psql_as() {
  local user=$1 password=$2 db=$3
  shift 3
  PGPASSWORD=$password "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U "$user" -d "$db" "$@"
}
psql_as postgres "$superuser_password" postgres <<SQL
create role samla login password '$samla_db_password';
create database samla owner samla;
SQL
psql_as postgres "$superuser_password" postgres -tAc \
  "select rolname || ': superuser=' || rolsuper || ', createdb=' || rolcreatedb || ', createrole=' || rolcreaterole
   from pg_roles where rolname = 'samla'"

# ---------------------------------------------------------------------------------------------------------------------
# The SMTP relay
# ---------------------------------------------------------------------------------------------------------------------
log "SMTP relay (aiosmtpd) on 127.0.0.1:$smtp_port, messages in $work/mail"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/mail" \
  >"$work/smtp.log" 2>&1 &
pid_smtp=$!
await_port "$smtp_port" 30 "$pid_smtp" || die "the SMTP relay did not start"

# ---------------------------------------------------------------------------------------------------------------------
# Two Samla instances: env files as in ops/systemd/, read the way systemd reads EnvironmentFile=
# ---------------------------------------------------------------------------------------------------------------------
admin_email=admin@samla.localhost
admin_password="try-$(openssl rand -hex 12)-Halland"
umask 077
cat >"$work/samla.env" <<EOF
DATABASE_URL=postgresql://samla:$samla_db_password@127.0.0.1:$pg_port/samla
SAMLA_PUBLIC_URL=https://localhost$([[ $https_port == 443 ]] || echo ":$https_port")
SAMLA_TRUSTED_PROXIES=127.0.0.1,::1
SAMLA_HTTP_HOST=127.0.0.1
SAMLA_SMTP_HOST=127.0.0.1
SAMLA_SMTP_PORT=$smtp_port
SAMLA_SMTP_STARTTLS=false
SAMLA_MAIL_FROM=Samla HÖK <noreply@samla.localhost>
SAMLA_ADMIN_EMAIL=$admin_email
SAMLA_ADMIN_PASSWORD=$admin_password
SAMLA_LOG_LEVEL=INFO
EOF
cat >"$work/1.env" <<EOF
SAMLA_HTTP_PORT=$port_1
SAMLA_MANAGEMENT_PORT=$management_1
SAMLA_SEND_MAIL=true
EOF
cat >"$work/2.env" <<EOF
SAMLA_HTTP_PORT=$port_2
SAMLA_MANAGEMENT_PORT=$management_2
SAMLA_SEND_MAIL=false
EOF
umask 022

# KEY=VALUE lines, the value taken as it stands (spaces, < and > included); comments and blank lines skipped.
env_args() {
  local file line
  for file in "$@"; do
    while IFS= read -r line || [[ -n $line ]]; do
      [[ -z ${line//[[:space:]]/} || $line == \#* ]] && continue
      printf '%s\0' "$line"
    done <"$file"
  done
}

start_instance() {
  local n=$1 vars=()
  mapfile -d '' vars < <(env_args "$work/samla.env" "$work/$n.env")
  # Only what the files say (as systemd gives a service): nothing of this shell's environment leaks in.
  env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 "${vars[@]}" \
    java -Xmx384m -XX:+ExitOnOutOfMemoryError -jar "$jar" </dev/null >"$work/samla-$n.log" 2>&1 &
  pids_samla+=($!)
}

# Ready = started (migrations, first admin, workers) and the database answering.
await_ready() {
  local n=$1 port=$2 pid=$3
  for ((i = 0; i < 1200; i++)); do
    curl -fsS --max-time 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    alive "$pid" || die "Samla instance $n exited while starting"
    sleep 0.1
  done
  die "Samla instance $n was not ready within 120 s"
}

# One at a time, the first time: the first one creates the schema and the first admin.
log "Samla instance 1 (sends e-mail) on 127.0.0.1:$port_1, management 127.0.0.1:$management_1"
start_instance 1
await_ready 1 "$management_1" "${pids_samla[0]}"
log "Samla instance 2 (SAMLA_SEND_MAIL=false) on 127.0.0.1:$port_2, management 127.0.0.1:$management_2"
start_instance 2
await_ready 2 "$management_2" "${pids_samla[1]}"

# ---------------------------------------------------------------------------------------------------------------------
# nginx with ops/nginx/samla.conf and a self-signed certificate for localhost
# ---------------------------------------------------------------------------------------------------------------------
log "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///') on :$https_port (TLS) and :$http_port, with ops/nginx/samla.conf"
mkdir -p "$work/tls" "$work/nginx"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/tls/localhost.key" -out "$work/tls/localhost.pem" >/dev/null 2>&1
chmod 0600 "$work/tls/localhost.key"

# The repository's file, with this machine's name, certificate, ports and instances; on loopback only: a try.
sed -e "s/server_name samla\.example\.se;/server_name localhost;/" \
    -e "s#/etc/ssl/certs/samla\.example\.se\.pem#$work/tls/localhost.pem#" \
    -e "s#/etc/ssl/private/samla\.example\.se\.key#$work/tls/localhost.key#" \
    -e "s/listen 443 ssl/listen 127.0.0.1:$https_port ssl/; s/listen \[::\]:443 ssl/listen [::1]:$https_port ssl/" \
    -e "s/listen 80;/listen 127.0.0.1:$http_port;/; s/listen \[::\]:80;/listen [::1]:$http_port;/" \
    -e "s/server 127\.0\.0\.1:8081 /server 127.0.0.1:$port_1 /; s/server 127\.0\.0\.1:8082 /server 127.0.0.1:$port_2 /" \
    ops/nginx/samla.conf >"$work/nginx/samla.conf"
for expected in "server_name localhost;" "$work/tls/localhost.pem" "listen 127.0.0.1:$https_port ssl" \
    "127.0.0.1:$port_1 " "127.0.0.1:$port_2 " "listen 127.0.0.1:$http_port;"; do
  grep -qF -- "$expected" "$work/nginx/samla.conf" || die "ops/nginx/samla.conf has changed: no '$expected' after the edits"
done
if [[ ! -e /proc/net/if_inet6 ]]; then
  sed -i '/listen \[::1\]/d' "$work/nginx/samla.conf"   # a machine without IPv6
fi

# The main file is what Debian's /etc/nginx/nginx.conf does for a site, with everything in this directory.
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
$([[ $(id -u) -eq 0 ]] && echo "user www-data;")
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/client_body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  sendfile on;
  include $work/nginx/samla.conf;
}
EOF
/usr/sbin/nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" || die "nginx does not accept the configuration"
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pid_nginx=$!
await_port "$https_port" 30 "$pid_nginx" || die "nginx did not start"

# ---------------------------------------------------------------------------------------------------------------------
# Through https://localhost only, the certificate checked
# ---------------------------------------------------------------------------------------------------------------------
base=https://localhost$([[ $https_port == 443 ]] || echo ":$https_port")
https() { curl -sS --max-time 30 --cacert "$work/tls/localhost.pem" "$@"; }
json() { /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

log "GET $base/health/ready"
ready=$(https -f "$base/health/ready") || die "not ready through nginx"
echo "$ready"
grep -q '"status":"UP"' <<<"$ready" || die "not UP: $ready"

log "Headers of $base/"
headers=$(https -o /dev/null -D - "$base/")
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || die "no Strict-Transport-Security: $headers"
grep -qi '^HTTP/2 200' <<<"$headers" || die "not 200 over HTTP/2: $headers"
echo "HTTP/2 200, Strict-Transport-Security set"
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$http_port/evenemang")
[[ $redirect == "301 https://localhost"* ]] || die "http:// is not sent to https:// ($redirect)"
echo "http:// → $redirect"
[[ $(https -o /dev/null -w '%{http_code}' "$base/metrics") == 404 ]] || die "/metrics is reachable from outside"
metrics=$(curl -fsS --max-time 5 "http://127.0.0.1:$management_2/metrics") || die "no metrics on the management port"
grep -q '^# TYPE' <<<"$metrics" || die "the management port's /metrics is not Prometheus text"
echo "/metrics: 404 through nginx, Prometheus text on the management ports"

log "An organiser's event, through the API"
token=$(https -f -H 'Content-Type: application/json' \
  -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" "$base/api/v1/auth/token" | json '["token"]')
starts=$(date -u -d '+30 days' +%Y-%m-%dT08:00:00Z)
ends=$(date -u -d '+30 days' +%Y-%m-%dT11:00:00Z)
opened=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
title="Dialogmöte om samverkan $(date +%s)"
# At a venue, so the ticket has a door to be shown at (an event online only has a calendar file, no ticket).
venue_id=$(https -f -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d @- "$base/api/v1/venues" <<EOF | json '["id"]'
{"name": "Folkets hus $(date +%s)", "address": "Storgatan 2, Falkenberg"}
EOF
)
event_id=$(https -f -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d @- "$base/api/v1/events" <<EOF | json '["id"]'
{"title": "$title", "kind": "dialogmote", "startsAt": "$starts", "endsAt": "$ends", "venueId": $venue_id,
 "capacity": 30, "registrationOpensAt": "$opened", "sessions": []}
EOF
)
https -f -o /dev/null -X POST -H "Authorization: Bearer $token" "$base/api/v1/events/$event_id/publish" \
  || die "could not publish event $event_id"
page=$(https -f "$base/evenemang/$event_id") || die "the event's page did not load"
grep -qF "$title" <<<"$page" || die "the event's page does not show its title"
echo "event $event_id published; its page shows it"

log "A person signs up at $base"
person=anna.andersson.$(date +%s)@example.org
status=$(https -o "$work/signup.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"name\": \"Anna Andersson\", \"email\": \"$person\"}" "$base/api/v1/events/$event_id/registrations")
[[ $status == 202 ]] || die "sign-up answered $status: $(cat "$work/signup.json")"
echo "202: $(cat "$work/signup.json")"

log "The ticket e-mail, exactly once"
unsent() {
  psql_as samla "$samla_db_password" samla -tAc "select count(*) from outbox where event_id = $event_id and sent_at is null"
}
# The messages in the relay's Maildir to this address, parsed as a mail program would (MIME, encoded words).
read_mail() {
  /usr/bin/python3 - "$work/mail" "$person" "$base" <<'PY'
import email, email.policy, pathlib, re, sys
maildir, person, base = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
found = []
for f in sorted(maildir.glob("*/*")):
    m = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
    if person in str(m["To"]):
        found.append(m)
print(len(found))
for m in found:
    types = [p.get_content_type() for p in m.walk()]
    text = m.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(base) + r"/anmalan/[A-Za-z0-9_-]{20,}", text)
    print(f"Subject: {m['Subject']} | parts: {', '.join(types)} | manage link: {'yes' if link else 'NO'}")
    if "application/pdf" not in types or not link:
        sys.exit(1)
PY
}
for ((i = 0; i < 600; i++)); do
  [[ $(read_mail 2>/dev/null | head -1) != 0 && $(unsent) == 0 ]] && break
  sleep 0.1
done
[[ $(unsent) == 0 ]] || die "e-mail still unsent after 60 s: $(psql_as samla "$samla_db_password" samla -tAc \
  "select kind || ' ' || attempts || ' ' || coalesce(last_error, '') from outbox where event_id = $event_id")"
# Nothing is left to send: what the relay has now is all there will be.
mail=$(read_mail) || die "the e-mail is not a ticket with its PDF and manage link: $mail"
[[ $(head -1 <<<"$mail") == 1 ]] || die "$(head -1 <<<"$mail") e-mails to $person, not one: $mail"
tail -n +2 <<<"$mail"
sent=$(psql_as samla "$samla_db_password" samla -tAc \
  "select count(*) from outbox where event_id = $event_id and kind = 'confirmed' and sent_at is not null")
[[ $sent == 1 ]] || die "$sent ticket e-mails recorded as sent, not one"
echo "one e-mail to $person, recorded as sent once"

log "All checks passed"
