-- Samla foundation: the action plan, organisations, venues, events with sessions, staff and their access.
-- Registrations, tickets and check-ins follow in later migrations; events and sessions already count
-- their taken seats so that capacity can be claimed with one conditional UPDATE.

create table action_plan_year (
  year        integer primary key check (year between 2000 and 2100),
  theme       text not null check (length(theme) between 1 and 200),
  focus_area  text check (length(focus_area) <= 200)
);

create table organisation (
  id             bigint generated always as identity primary key,
  name           text not null check (length(name) between 1 and 200),
  sector         text not null check (sector in ('ideburen', 'offentlig', 'privat', 'ovrig')),
  signatory      boolean not null default false,
  contact_email  text check (length(contact_email) <= 254),
  created_at     timestamptz not null default now()
);
create unique index organisation_name_key on organisation (lower(name));

create table venue (
  id                  bigint generated always as identity primary key,
  name                text not null check (length(name) between 1 and 200),
  address             text not null check (length(address) between 1 and 500),
  step_free_entrance  boolean not null default false,
  hearing_loop        boolean not null default false,
  accessible_toilet   boolean not null default false,
  disabled_parking    boolean not null default false,
  accessibility_notes text check (length(accessibility_notes) <= 2000),
  created_at          timestamptz not null default now()
);

create table staff_user (
  id             bigint generated always as identity primary key,
  email          text not null check (length(email) between 3 and 254),
  name           text not null check (length(name) between 1 and 200),
  password_hash  text not null,
  role           text not null check (role in ('admin', 'organiser', 'checkin', 'viewer')),
  active         boolean not null default true,
  created_at     timestamptz not null default now()
);
create unique index staff_user_email_key on staff_user (lower(email));

-- Bearer tokens for the API; only the SHA-256 of the token is stored.
create table api_token (
  id             bigint generated always as identity primary key,
  staff_user_id  bigint not null references staff_user (id) on delete cascade,
  token_hash     bytea not null unique,
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null,
  last_used_at   timestamptz
);

-- Server-side web sessions of staff, shared by every service instance.
create table web_session (
  id          text primary key,
  data        bytea not null,
  version     integer not null,
  expires_at  timestamptz not null
);
create index web_session_expires on web_session (expires_at);

create table event (
  id                      bigint generated always as identity primary key,
  kind                    text not null check (kind in ('samverkanskonferens', 'dialogmote', 'workshop',
                            'seminarium', 'utbildning', 'remissmote', 'framtidsforum', 'annat')),
  title_sv                text not null check (length(title_sv) between 1 and 200),
  title_en                text check (length(title_en) <= 200),
  description_sv          text not null default '' check (length(description_sv) <= 10000),
  description_en          text check (length(description_en) <= 10000),
  starts_at               timestamptz not null,
  ends_at                 timestamptz not null,
  venue_id                bigint references venue (id),
  online_url              text check (length(online_url) <= 500),
  capacity                integer not null check (capacity >= 0),
  seats_taken             integer not null default 0 check (seats_taken >= 0),
  registration_opens_at   timestamptz,
  registration_closes_at  timestamptz,
  status                  text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
  plan_year               integer references action_plan_year (year),
  organiser_name          text check (length(organiser_name) <= 200),
  organiser_email         text check (length(organiser_email) <= 254),
  created_by              bigint references staff_user (id),
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now(),
  published_at            timestamptz,
  cancelled_at            timestamptz,
  constraint event_ends_after_start check (ends_at > starts_at),
  constraint event_registration_window check (registration_closes_at is null or registration_opens_at is null
                                              or registration_closes_at > registration_opens_at),
  constraint event_has_place check (venue_id is not null or online_url is not null),
  constraint event_not_overbooked check (seats_taken <= capacity)
);
create index event_calendar on event (status, starts_at);
create index event_plan_year on event (plan_year);

-- Parallel sessions (workshops) of an event; sessions that start at the same time form one time slot.
create table event_session (
  id           bigint generated always as identity primary key,
  event_id     bigint not null references event (id) on delete cascade,
  title_sv     text not null check (length(title_sv) between 1 and 200),
  title_en     text check (length(title_en) <= 200),
  starts_at    timestamptz not null,
  ends_at      timestamptz not null,
  capacity     integer not null check (capacity >= 0),
  seats_taken  integer not null default 0 check (seats_taken >= 0),
  constraint session_ends_after_start check (ends_at > starts_at),
  constraint session_not_overbooked check (seats_taken <= capacity)
);
create index event_session_event on event_session (event_id, starts_at);

-- Demo data is loaded at most once per database.
create table demo_load (
  loaded_at timestamptz not null default now()
);

-- Secrets shared by every instance (e.g. the CSRF signing key), created on first start.
create table app_secret (
  name   text primary key,
  value  bytea not null
);
