-- Signing up others (issue 20, item 3). A contact person signs several people up at once. People with an address of
-- their own are registered as anyone is; people without one (or with the contact's address) are registered with no
-- address, tied to their contact, whose address gets their tickets and manage links. One contact per address and
-- event, so a second group from the same address adds to the same people.
create table group_contact (
  id          uuid primary key default gen_random_uuid(),
  event_id    bigint not null references event (id),
  name        text not null check (length(name) between 1 and 200),
  email       text not null check (length(email) between 3 and 254),
  language    text not null default 'sv' check (language in ('sv', 'en')),
  created_at  timestamptz not null default now()
);
create unique index group_contact_one_per_address on group_contact (event_id, lower(email));

alter table registration add column contact_id uuid references group_contact (id);
alter table registration drop constraint registration_email_unless_walk_in;
alter table registration add constraint registration_email_unless_walk_in
  check (email is not null or source = 'walk_in' or contact_id is not null);
-- "Once" for a person without an address: their name (any letter case, spaces folded) among their contact's people.
create unique index registration_one_per_contact_name on registration
  (contact_id, lower(regexp_replace(btrim(name), '\s+', ' ', 'g')))
  where contact_id is not null and email is null and status <> 'cancelled';

-- Rooms (issue 20, item 2). A venue's rooms, each with its own accessibility facts ("Hörslinga finns i salen men inte i
-- grupprummen"); a session takes place in a room. event_session.room stays the text printed on tickets, calendar
-- files and e-mails: for a session in a room it is the room's name, kept in step by the service.
create table room (
  id                 bigint generated always as identity primary key,
  venue_id           bigint not null references venue (id),
  name               text not null check (length(name) between 1 and 200),
  hearing_loop       boolean not null default false,
  step_free          boolean not null default false,
  wheelchair_places  integer not null default 0 check (wheelchair_places between 0 and 1000),
  notes              text check (length(notes) <= 2000),
  created_at         timestamptz not null default now()
);
create unique index room_name_per_venue on room (venue_id, lower(name));

alter table event_session add column room_id bigint references room (id);
create index event_session_room on event_session (room_id) where room_id is not null;

-- The free-text rooms of sessions at a venue become rooms of that venue (one per name, in any letter case), their
-- facts unknown until an organiser fills them in (all "no": nothing is promised that nobody checked); the sessions are
-- placed in them. Online-only events keep their text.
insert into room (venue_id, name)
select distinct on (e.venue_id, lower(btrim(s.room))) e.venue_id, btrim(s.room)
from event_session s join event e on e.id = s.event_id
where e.venue_id is not null and s.room is not null and btrim(s.room) <> ''
order by e.venue_id, lower(btrim(s.room)), s.id
on conflict do nothing;
-- The text becomes the room's name exactly (" sal 3 " → "Sal 3"), as the service keeps it, so that the next edit of the
-- event does not tell participants of a change of room that is none.
update event_session s set room_id = r.id, room = r.name
from event e, room r
where e.id = s.event_id and r.venue_id = e.venue_id and s.room is not null and lower(r.name) = lower(btrim(s.room));

-- Organisation names (issue 20, item 5): type-ahead that finds "DHR Region Halland" from "DHR Halland" and forgives a
-- typo. pg_trgm is a trusted contrib extension (PostgreSQL 13 and later): the database's owner may create it, no
-- superuser needed; it ships with the embedded PostgreSQL and with Debian's postgresql-15.
create extension if not exists pg_trgm;
