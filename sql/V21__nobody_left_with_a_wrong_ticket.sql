-- Nobody left with a wrong ticket (issue 19): change notices, messages to participants, the ticket at hand, online
-- meetings.

-- A session's own place (a room of the venue, "Sal 3"), printed on tickets and told of when it changes.
alter table event_session add column room text check (length(room) <= 200);

-- Why an event was called off, and the new date if there is one: both go into the e-mail to everyone registered.
alter table event add column cancel_reason text check (length(cancel_reason) <= 1000);
alter table event add column rescheduled_to date;

-- Attendance of an online meeting, ticked by its organisers (or matched from the meeting tool's participant list):
-- an admission like any other, so the follow-up's attendance view counts it.
alter table checkin drop constraint checkin_method_check;
alter table checkin add constraint checkin_method_check check (method in ('scan', 'manual', 'walk_in', 'online'));

-- The SEQUENCE of the registration's calendar file, raised each time one is made (RFC 5545: a later version of an entry
-- has a higher one, or calendars keep the older). It counts on from the seconds since 2026 that earlier files used.
alter table registration add column calendar_sequence integer not null default 0;

-- A seat handed over to a colleague: the old registration is cancelled with this time set, the colleague's is new.
-- The follow-up can tell a handover from a cancellation by it.
alter table registration add column handed_over_at timestamptz;

-- A message an organiser wrote to a group of the event's participants. One outbox row ('message') per recipient
-- refers to it; the key makes a form sent twice (a double click, a reload) one message.
create table participant_message (
  id               bigint generated always as identity primary key,
  event_id         bigint not null references event (id) on delete cascade,
  idempotency_key  text not null check (length(idempotency_key) between 1 and 100),
  audience         text not null check (audience in ('confirmed', 'waitlisted', 'session', 'checked_in', 'not_checked_in')),
  session_id       bigint references event_session (id) on delete set null,
  subject_sv       text not null check (length(subject_sv) between 1 and 200),
  body_sv          text not null check (length(body_sv) between 1 and 10000),
  subject_en       text check (length(subject_en) <= 200),
  body_en          text check (length(body_en) <= 10000),
  recipients       integer not null check (recipients >= 0),
  created_by       bigint references staff_user (id) on delete set null,
  created_at       timestamptz not null default now(),
  unique (event_id, idempotency_key)
);

-- Change notices waiting to be sent are found per event and registration, to be updated in place while edits come in.
create index outbox_pending_change on outbox (event_id, registration_id)
  where kind = 'event_changed' and sent_at is null and failed_at is null;
