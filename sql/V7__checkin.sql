-- Check-in at the door. A check-in is a fact (this person came, to the event or to one of its sessions); a scan is
-- what a door device saw, kept for every scan, rejected ones too, for the follow-up and for spotting conflicts.

-- One row per admission. Undoing keeps the row (undone_at), so a mistaken admission stays in the history; at most
-- one admission that is not undone per registration and place (the event itself, or one session).
create table checkin (
  id               bigint generated always as identity primary key,
  event_id         bigint not null references event (id),
  session_id       bigint references event_session (id) on delete cascade,
  registration_id  uuid not null references registration (id) on delete cascade,
  ticket_id        bigint references ticket (id) on delete set null,
  -- When the person was admitted: the device's scan time (an offline device replays it later).
  checked_in_at    timestamptz not null,
  recorded_at      timestamptz not null default now(),
  device_id        text not null check (length(device_id) between 1 and 100),
  staff_user_id    bigint references staff_user (id) on delete set null,
  method           text not null check (method in ('scan', 'manual', 'walk_in')),
  offline          boolean not null default false,
  undone_at        timestamptz,
  undone_by        bigint references staff_user (id) on delete set null
);
create unique index checkin_once on checkin (registration_id, coalesce(session_id, 0)) where undone_at is null;
create index checkin_event on checkin (event_id, session_id) where undone_at is null;

-- Every scan and lookup at the door, with its result. idempotency_key (per device) makes replays from an offline
-- queue or a retried request return the first answer instead of recording a second scan.
create table checkin_scan (
  id               bigint generated always as identity primary key,
  event_id         bigint not null references event (id),
  session_id       bigint references event_session (id) on delete cascade,
  registration_id  uuid references registration (id) on delete set null,
  ticket_id        bigint references ticket (id) on delete set null,
  checkin_id       bigint references checkin (id) on delete set null,
  device_id        text not null check (length(device_id) between 1 and 100),
  staff_user_id    bigint references staff_user (id) on delete set null,
  scanned_at       timestamptz not null,
  recorded_at      timestamptz not null default now(),
  result           text not null check (result in ('ok', 'already_checked_in', 'cancelled', 'waitlisted',
                     'wrong_event', 'not_in_session', 'invalid', 'revoked')),
  -- The device admitted the person while offline, and the server later found them already admitted elsewhere.
  offline          boolean not null default false,
  conflict         boolean not null default false,
  idempotency_key  text check (length(idempotency_key) between 1 and 200)
);
create unique index checkin_scan_replay on checkin_scan (device_id, idempotency_key) where idempotency_key is not null;
create index checkin_scan_event on checkin_scan (event_id, recorded_at);
create index checkin_scan_conflicts on checkin_scan (event_id) where conflict;

-- Which needs the door staff should act on when the person arrives (a hearing-loop seat, an interpreter, a
-- wheelchair place …). Only these are shown at check-in, as labels; the free-text details stay with the organisers.
alter table need add column at_door boolean not null default false;
update need set at_door = true
where code in ('horslinga', 'teckensprakstolk', 'skrivtolk', 'syntolkning', 'dovblindtolk', 'ledsagare',
               'rullstolsplats', 'lattlast');
