-- The working group's follow-up (issue 14): the action plan's periods and planned activities, the parties with their
-- signatory dates and contact person, and people counted across the years of a period without keeping who they are.

-- A period of the action plan (e.g. 2020–2024): its years are the years from first_year to last_year. Periods do not
-- overlap, so every year, and every event, belongs to at most one period. A closed period has no secret any more.
create table plan_period (
  id          bigint generated always as identity primary key,
  name        text not null check (length(name) between 1 and 200),
  first_year  integer not null check (first_year between 2000 and 2100),
  last_year   integer not null check (last_year between 2000 and 2100),
  created_at  timestamptz not null default now(),
  closed_at   timestamptz,
  closed_by   bigint references staff_user (id) on delete set null,
  constraint plan_period_years check (last_year >= first_year),
  constraint plan_period_no_overlap exclude using gist (int4range(first_year, last_year, '[]') with &&)
);

-- The period's secret for the participant keys: HMAC-SHA-256 (RFC 2104) with a random 32-byte key K, kept as the two
-- padded keys the algorithm uses, (K ‖ 0³²) XOR 0x36… and (K ‖ 0³²) XOR 0x5c…, so that PostgreSQL's own sha256()
-- computes the HMAC without any extension: key = sha256(outer ‖ sha256(inner ‖ message)). Made by Samla when the
-- period is created (or at start for a period without one); deleted when the period is closed.
create table plan_period_secret (
  period_id   bigint primary key references plan_period (id) on delete cascade,
  inner_pad   bytea not null check (length(inner_pad) = 64),
  outer_pad   bytea not null check (length(outer_pad) = 64),
  created_at  timestamptz not null default now()
);

-- The year's planned activities ("Dialogmöten mellan Region Hallands psykiatri och idéburna aktörer" …). kind is
-- optional: some planned activities are not events at all (a website, a survey).
create table planned_activity (
  id          bigint generated always as identity primary key,
  plan_year   integer not null references action_plan_year (year) on delete cascade,
  title       text not null check (length(title) between 1 and 200),
  kind        text check (kind in ('samverkanskonferens', 'dialogmote', 'workshop', 'seminarium', 'utbildning',
                'remissmote', 'framtidsforum', 'annat')),
  target      text check (length(target) <= 200),
  notes       text check (length(notes) <= 2000),
  position    integer not null default 0,
  created_at  timestamptz not null default now()
);
create index planned_activity_year on planned_activity (plan_year, position, id);

-- An event carries out at most one planned activity (of its own plan year).
alter table event add column planned_activity_id bigint references planned_activity (id) on delete set null;
create index event_planned_activity on event (planned_activity_id) where planned_activity_id is not null;

-- The parties: signatory since/until (null since: a party from before Samla knew the date; null until: still one) and
-- the contact person the working group keeps informed.
alter table organisation
  add column contact_name     text check (length(contact_name) <= 200),
  add column signatory_since  date,
  add column signatory_until  date,
  add constraint organisation_signatory_dates check (signatory_until is null or signatory_since is null
                                                     or signatory_until >= signatory_since);

-- The period an event belongs to: the period of its plan year, or, without one, of the year it starts in (Swedish time).
create view event_plan_period as
  select e.id as event_id, p.id as period_id
  from event e
  join plan_period p on coalesce(e.plan_year, extract(year from e.starts_at at time zone 'Europe/Stockholm')::integer)
                        between p.first_year and p.last_year;

-- The participant key: HMAC-SHA-256 of the normalised address (lower case, trimmed) under the secret of the event's
-- period; null without an address, without a period, or once the period is closed (its secret is gone).
create function participant_key(p_event bigint, p_email text) returns bytea
language sql stable as $$
  select sha256(s.outer_pad || sha256(s.inner_pad || convert_to(lower(btrim(p_email)), 'UTF8')))
  from event_plan_period ep
  join plan_period p on p.id = ep.period_id and p.closed_at is null
  join plan_period_secret s on s.period_id = p.id
  where ep.event_id = p_event and p_email is not null
$$;

-- Kept from the registration's sign-up (or computed for a registration that still has its address) until the
-- period is closed or the person erases their registration; retention erases the address and leaves the key.
alter table registration add column participant_key bytea;

-- The person-level figures of a year, counted from the keys when its period was closed: all that remains of them.
create table plan_year_people (
  year                   integer primary key references action_plan_year (year) on delete cascade,
  people                 integer not null check (people >= 0),
  people_two_kinds       integer not null check (people_two_kinds >= 0),
  people_two_events      integer not null check (people_two_events >= 0),
  first_timers           integer check (first_timers >= 0),
  came_again_next_year   integer check (came_again_next_year >= 0),
  unlinked               integer not null check (unlinked >= 0),
  ratings_one_kind       integer[] not null check (cardinality(ratings_one_kind) = 5),
  ratings_two_kinds      integer[] not null check (cardinality(ratings_two_kinds) = 5),
  kept_at                timestamptz not null default now()
);

-- Years entered before periods existed become periods of their own, one per run of consecutive years (2020–2024;
-- 2026–2027), named after their years; an admin may rename them. Their secrets are made at the next start.
insert into plan_period (name, first_year, last_year)
select 'Handlingsplan ' || min(year) || case when max(year) > min(year) then '–' || max(year) else '' end,
       min(year), max(year)
from (select year, year - row_number() over (order by year) as run from action_plan_year) y
group by run
order by min(year);
