#!/usr/bin/env python3
"""The opening rush, measured beside PostgreSQL's own limit, in one run (see docs/benchmarks.md).

On one PostgreSQL (DATABASE_URL, or a throw-away server started here from the installed PostgreSQL binaries, durable
as shipped: fsync and synchronous_commit on):
  1. pgbench: the naive sign-up transaction (lock the event row, insert the registration, insert its outbox row) at 8
     and 64 clients;
  2. Samla from the built jar, as its own JVM (SAMLA_SEND_MAIL=false: mail is sent by another instance), loaded by
     wrk with 64 and 1,000 connections signing up for ONE event, then spread over 50 events;
  3. the last-seat race: 1,000 connections for an event of 100 seats.
It prints sign-ups/s, p50/p90/p99, 5xx, the ratio to pgbench at 64 clients, and whether the seats were exact.

Not part of the test run. Needs wrk and pgbench (Debian: apt-get install wrk postgresql-client) and, without
DATABASE_URL, the PostgreSQL server binaries (initdb, pg_ctl; postgresql-15 or newer).

  bench/signup-rush.py [--duration 15] [--race-duration 5] [--no-build] [--profile FILE.jfr] [--events 50]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_EMAIL = "bench-admin@samla.localhost"
ADMIN_PASSWORD = "rusning-vid-oppning-2026"

NAIVE_SCHEMA = """
drop table if exists naive_outbox, naive_registration, naive_event;
create table naive_event (id int primary key, capacity int not null, seats_taken int not null default 0);
create table naive_registration (id bigserial primary key, event_id int not null references naive_event (id),
  email text not null, status text not null, created_at timestamptz not null default now());
create table naive_outbox (id bigserial primary key, registration_id bigint not null references naive_registration (id),
  kind text not null, created_at timestamptz not null default now());
insert into naive_event values (1, 1000000000, 0);
"""

# The same three rows as a sign-up, written the naive way: one transaction per sign-up, the event row locked by the
# seat claim until commit.
NAIVE_TRANSACTION = """\\set n random(1, 2000000000)
BEGIN;
UPDATE naive_event SET seats_taken = seats_taken + 1 WHERE id = 1 AND seats_taken < capacity;
INSERT INTO naive_registration (event_id, email, status) VALUES (1, 'p' || :n || '@example.org', 'confirmed');
INSERT INTO naive_outbox (registration_id, kind) VALUES (currval('naive_registration_id_seq'), 'confirmed');
END;
"""

WRK_SCRIPT = """
local events = {%(events)s}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("prefix", "t" .. #threads .. "x" .. %(salt)d)
  table.insert(threads, thread)
end

function init(args)
  accepted = 0
  server_errors = 0
  other = 0
end

function request()
  counter = counter + 1
  local event = events[(counter %% #events) + 1]
  local body = '{"name":"Rusning ' .. counter .. '","email":"' .. prefix .. "-" .. counter .. '@rush.example.org","consent":true}'
  return wrk.format("POST", "/api/v1/events/" .. event .. "/registrations",
    {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, s, o = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    s = s + t:get("server_errors")
    o = o + t:get("other")
  end
  io.write(string.format('RESULT {"accepted":%%d,"server_errors":%%d,"other":%%d,"socket_errors":%%d,"timeouts":%%d,' ..
    '"duration_us":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    a, s, o, summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def slow_statements_logged():
    """Slow statements (with their plans) and lock waits into the server's log, kept as
    target/signup-rush-postgres.log: what a run that collapses was waiting for (docs/benchmarks.md, session 4).
    Only where the server has auto_explain (Debian's postgresql-NN does)."""
    lib = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("pg_ctl")))), "lib", "auto_explain.so")
    if not os.path.exists(lib):
        return " -c log_lock_waits=on"
    return (" -c shared_preload_libraries=auto_explain -c auto_explain.log_min_duration=100ms"
            " -c auto_explain.log_nested_statements=on -c log_lock_waits=on")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


class Postgres:
    """DATABASE_URL's server, or a throw-away one in a temporary directory."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.started = False
        url = os.environ.get("DATABASE_URL")
        if url:
            self.base = url
            return
        for tool in ("initdb", "pg_ctl"):
            if shutil.which(tool) is None:
                sys.exit("No DATABASE_URL and no %s on PATH: install PostgreSQL (15 or newer) or set DATABASE_URL" % tool)
        self.port = free_port()
        self.data = os.path.join(tmp, "pgdata")
        as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        os.makedirs(self.data)
        if as_user:
            shutil.chown(tmp, "nobody")
            shutil.chown(self.data, "nobody")
        self.as_user = as_user
        run(as_user + ["initdb", "-D", self.data, "-U", "bench", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        run(as_user + ["pg_ctl", "-D", self.data, "-w", "-l", os.path.join(tmp, "postgres.log"), "-o",
                       ("-p %d -c listen_addresses=127.0.0.1 -k %s -c max_connections=300 -c shared_buffers=256MB"
                        % (self.port, tmp)) + slow_statements_logged(), "start"])
        self.started = True
        self.base = "postgresql://bench:bench@127.0.0.1:%d/postgres" % self.port

    def url(self, database):
        parts = urllib.parse.urlsplit(self.base)
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + database, "", ""))

    def psql(self, database, sql):
        return run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", self.url(database), "-c", sql]).stdout.strip()

    def create(self, database):
        self.psql("postgres", "drop database if exists %s" % database)
        self.psql("postgres", "create database %s" % database)

    def stop(self):
        if self.started:
            subprocess.run(self.as_user + ["pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"], capture_output=True)


def pgbench(pg, clients, seconds, tmp):
    script = os.path.join(tmp, "naive.sql")
    with open(script, "w") as f:
        f.write(NAIVE_TRANSACTION)
    out = run(["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds),
               "-f", script, pg.url("naive")]).stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([0-9.]+) ms", out).group(1))
    return tps, latency


class Samla:
    def __init__(self, pg, tmp, profile, send_mail=False):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": pg.url("samla"),
            "SAMLA_HTTP_PORT": str(self.port),
            "SAMLA_PUBLIC_URL": self.url,
            "SAMLA_MANAGEMENT_PORT": "off",
            # Mail is sent by another instance, unless --send-mail: then this one sends it too, to its local mail
            # catcher (the default mode's), tickets with QR code and PDF rendered as for real.
            "SAMLA_SEND_MAIL": "true" if send_mail else "false",
            "SAMLA_ADMIN_EMAIL": ADMIN_EMAIL,
            "SAMLA_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SAMLA_DATA_DIR": os.path.join(tmp, "samla"),
            "SAMLA_LOG_LEVEL": "WARN",
            # Every request comes from 127.0.0.1: the per-client limits would measure themselves.
            "SAMLA_LIMIT_SIGNUPS_PER_CLIENT": "off",
            "SAMLA_LIMIT_SIGNUPS_PER_EMAIL": "off",
            "SAMLA_LIMIT_SIGNUPS_PER_EMAIL_EVENT": "off",
            "SAMLA_LIMIT_ORGANISATIONS_PER_CLIENT": "off",
        })
        cmd = ["java", "-Xms1g", "-Xmx2g"]
        if profile:
            cmd.append("-XX:StartFlightRecording=filename=%s,settings=profile,dumponexit=true" % profile)
        cmd += ["-jar", os.path.join(ROOT, "target", "samla.jar")]
        self.log = open(os.path.join(tmp, "samla.log"), "w")
        self.process = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit("Samla stopped at start; see %s" % self.log.name)
            try:
                with urllib.request.urlopen(self.url + "/health/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        else:
            sys.exit("Samla did not become ready in 180 s")
        self.token = self.post("/api/v1/auth/token", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})["token"]
        # With mail sent here, the events are at a venue: their tickets carry the QR code and the PDF.
        self.venue = self.post("/api/v1/venues", {"name": "Rusningens lokal %d" % time.time_ns(),
                                                  "address": "Storgatan 1, Halmstad"}, self.token)["id"] if send_mail else None

    def post(self, path, body, token=None):
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        if token:
            request.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.loads(r.read() or b"{}")

    def event(self, capacity):
        start = (datetime.now(timezone.utc) + timedelta(days=60)).replace(hour=8, minute=0, second=0, microsecond=0)
        body = {
            "title": "Rusningen %d" % time.time_ns(), "kind": "samverkanskonferens",
            "startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=7)).isoformat(),
            "onlineUrl": "https://example.org/rusning", "capacity": capacity,
            "registrationOpensAt": (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()}
        if self.venue is not None:
            body["venueId"] = self.venue
            del body["onlineUrl"]
        created = self.post("/api/v1/events", body, self.token)
        self.post("/api/v1/events/%d/publish" % created["id"], {}, self.token)
        return created["id"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


SALT = [0]


def wrk(samla, events, connections, seconds, tmp):
    SALT[0] += 1
    script = os.path.join(tmp, "rush-%d.lua" % SALT[0])
    with open(script, "w") as f:
        f.write(WRK_SCRIPT % {"events": ", ".join(str(e) for e in events), "salt": SALT[0]})
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", "%ds" % seconds, "--timeout", "30s",
                          "-s", script, samla.url], text=True, capture_output=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        sys.exit("wrk gave no result:\n" + out)
    r = json.loads(line[len("RESULT "):])
    r["rate"] = r["accepted"] / (r["duration_us"] / 1e6)
    return r


def seats(pg, event):
    row = pg.psql("samla", "select e.capacity, e.seats_taken, "
                  "(select count(*) from registration r where r.event_id = e.id and r.status = 'confirmed'), "
                  "(select count(*) from registration r where r.event_id = e.id and r.status = 'waitlisted'), "
                  "(select count(*) from outbox o where o.event_id = e.id and o.kind in ('confirmed', 'waitlisted')) "
                  "from event e where e.id = %d" % event)
    capacity, taken, confirmed, waitlisted, mails = (int(x) for x in row.split("|"))
    return {"capacity": capacity, "taken": taken, "confirmed": confirmed, "waitlisted": waitlisted, "mails": mails}


def ms(us):
    return "%.0f ms" % (us / 1000.0) if us >= 10000 else "%.1f ms" % (us / 1000.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds per measured run (default 15)")
    parser.add_argument("--race-duration", type=int, default=5, help="seconds of the last-seat race (default 5)")
    parser.add_argument("--events", type=int, default=50, help="events of the spread run (default 50)")
    parser.add_argument("--no-build", action="store_true", help="use target/samla.jar as it is")
    parser.add_argument("--profile", help="record Samla with JFR into this file (jcmd/jfr can read it)")
    parser.add_argument("--send-mail", action="store_true",
                        help="Samla sends the rush's e-mail itself (to its local mail catcher), events at a venue")
    args = parser.parse_args()
    for tool in ("wrk", "pgbench", "psql", "java"):
        if shutil.which(tool) is None:
            sys.exit("%s is needed (Debian: apt-get install wrk postgresql-client)" % tool)
    os.chdir(ROOT)
    if not args.no_build:
        subprocess.run(["./mvnw", "-B", "-ntp", "-q", "-DskipTests", "package"], check=True)
    commit = run(["git", "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="samla-rush-")
    os.chmod(tmp, 0o755)
    pg = Postgres(tmp)
    samla = None
    try:
        try:
            import resource
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ImportError, ValueError):
            pass
        print("Samla sign-up rush, commit %s%s, %s, %d cores" % (commit, " (with changes)" if dirty else "",
              datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), os.cpu_count()), flush=True)
        print("Load average at the start: %.1f %.1f %.1f (other work on the machine makes every number noisier)"
              % os.getloadavg(), flush=True)
        print("PostgreSQL: %s" % pg.psql("postgres", "select version()").split(" on ")[0], flush=True)
        print("PostgreSQL settings: fsync=%s synchronous_commit=%s" % (pg.psql("postgres", "show fsync"),
              pg.psql("postgres", "show synchronous_commit")), flush=True)
        pg.create("naive")
        pg.psql("naive", NAIVE_SCHEMA)
        naive = {}
        for clients in (8, 64):
            naive[clients] = pgbench(pg, clients, args.duration, tmp)
            print("pgbench naive transaction, %d clients: %.0f tx/s, average %.1f ms" % (clients, *naive[clients]),
                  flush=True)
        pg.create("samla")
        samla = Samla(pg, tmp, args.profile, args.send_mail)
        print("E-mail: %s" % ("sent by this instance, tickets with QR code and PDF, to its local mail catcher"
                              if args.send_mail else "not sent here (another instance sends it)"), flush=True)
        warm = samla.event(100000)
        wrk(samla, [warm], 64, 10, tmp)  # warm-up: JIT, pools, plans
        rows = []
        hot_capacity = 5000
        for label, count, connections in (("one event", 1, 64), ("one event", 1, 1000),
                                           ("%d events" % args.events, args.events, 64),
                                           ("%d events" % args.events, args.events, 1000)):
            events = [samla.event(hot_capacity) for _ in range(count)]
            r = wrk(samla, events, connections, args.duration, tmp)
            checks = [seats(pg, e) for e in events]
            exact = all(c["taken"] == c["confirmed"] <= c["capacity"] and c["mails"] == c["confirmed"] + c["waitlisted"]
                        for c in checks)
            rows.append((label, connections, r, exact))
            print("  %-10s %5d conn: %7.0f sign-ups/s  p50 %s  p90 %s  p99 %s  5xx %d  other %d  socket errors %d  "
                  "ratio to pgbench-64 %.2f  seats %s" % (label, connections, r["rate"], ms(r["p50_us"]), ms(r["p90_us"]),
                  ms(r["p99_us"]), r["server_errors"], r["other"], r["socket_errors"] + r["timeouts"],
                  r["rate"] / naive[64][0], "exact" if exact else "NOT EXACT"), flush=True)
        race = samla.event(100)
        race_run = wrk(samla, [race], 1000, args.race_duration, tmp)
        c = seats(pg, race)
        race_exact = c["taken"] == 100 and c["confirmed"] == 100
        print("  last-seat race, 1000 conn, 100 seats: %d sign-ups in %d s, %d confirmed, %d waiting, seats taken %d: %s"
              % (race_run["accepted"], args.race_duration, c["confirmed"], c["waitlisted"], c["taken"],
                 "exact" if race_exact else "NOT EXACT"), flush=True)

        print()
        print("| date | commit | run | clients | sign-ups/s | p50 | p90 | p99 | 5xx | ratio to pgbench-64 | seats |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        for clients in (8, 64):
            print("| %s | %s | pgbench, naive transaction | %d | %.0f | | | | | %.2f | |"
                  % (day, commit, clients, naive[clients][0], naive[clients][0] / naive[64][0]))
        for label, connections, r, exact in rows:
            print("| %s | %s | Samla, %s | %d | %.0f | %s | %s | %s | %d | %.2f | %s |"
                  % (day, commit, label, connections, r["rate"], ms(r["p50_us"]), ms(r["p90_us"]), ms(r["p99_us"]),
                     r["server_errors"], r["rate"] / naive[64][0], "exact" if exact else "NOT EXACT"))
        print("| %s | %s | Samla, last-seat race (100 seats) | 1000 | %.0f | %s | %s | %s | %d | | %s |"
              % (day, commit, race_run["rate"], ms(race_run["p50_us"]), ms(race_run["p90_us"]), ms(race_run["p99_us"]),
                 race_run["server_errors"], "exact: %d of %d" % (c["confirmed"], c["capacity"]) if race_exact else "NOT EXACT: %d" % c["confirmed"]))
        ok = race_exact and all(row[3] for row in rows)
    finally:
        if samla:
            samla.stop()
        pg.stop()
        log = os.path.join(tmp, "postgres.log")
        if os.path.exists(log):
            shutil.copyfile(log, os.path.join(ROOT, "target", "signup-rush-postgres.log"))
        if args.profile is None:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
