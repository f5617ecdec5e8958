-- Registrations with accessibility needs, capacity, waiting list, self-service, and the transactional outbox.
-- Seats are claimed with one conditional UPDATE of event.seats_taken / event_session.seats_taken
-- (a CHECK forbids overbooking even if code were wrong); the waiting list is ordered by waitlist_seq.

-- What a participant may need to take part. Managed by admins; lead_days makes it organiser work with a deadline.
create table need (
  code        text primary key check (code ~ '^[a-z0-9_]{1,40}$'),
  label_sv    text not null check (length(label_sv) between 1 and 200),
  label_en    text not null check (length(label_en) between 1 and 200),
  has_detail  boolean not null default false,
  lead_days   integer check (lead_days between 0 and 365),
  sort_order  integer not null default 100,
  active      boolean not null default true
);

insert into need (code, label_sv, label_en, has_detail, lead_days, sort_order) values
  ('horslinga',        'Hörslinga/teleslinga',                          'Hearing loop',                                   false, null, 10),
  ('teckensprakstolk', 'Teckenspråkstolk',                              'Sign-language interpreter',                      false, 28,   20),
  ('skrivtolk',        'Skrivtolk',                                     'Speech-to-text interpreter',                     false, 28,   30),
  ('syntolkning',      'Syntolkning',                                   'Audio description',                              false, 28,   40),
  ('dovblindtolk',     'Dövblindtolk',                                  'Deafblind interpreter',                          false, 28,   50),
  ('ledsagare',        'Ledsagare/personlig assistent',                 'Companion/personal assistant',                   false, null, 60),
  ('rullstolsplats',   'Rullstolsplats',                                'Wheelchair space',                               false, null, 70),
  ('toalett_nara',     'Tillgänglig toalett nära',                      'Accessible toilet nearby',                       false, null, 80),
  ('parkering',        'Reserverad parkering',                          'Reserved parking',                               false, null, 90),
  ('fardtjanst',       'Avlämning för färdtjänst',                      'Drop-off for mobility service',                  false, null, 100),
  ('specialkost',      'Specialkost/allergi',                           'Special diet/allergy',                           true,  7,    110),
  ('doftfri',          'Doftfri miljö',                                 'Scent-free environment',                         false, null, 120),
  ('lattlast',         'Material i lättläst, storstil eller punktskrift', 'Material in easy-read, large print or braille', true,  14,   130),
  ('material_forvag',  'Material i förväg',                             'Material in advance',                            false, null, 140),
  ('distans',          'Delta på distans',                              'Take part remotely',                             false, null, 150),
  ('annat',            'Annat',                                         'Other',                                          true,  null, 160);

-- Arrival order: numbered while the event row is locked by the seat claim, so confirmed come before waitlisted.
create sequence waitlist_seq;

create table registration (
  id               uuid primary key default gen_random_uuid(),
  event_id         bigint not null references event (id),
  status           text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
  waitlist_seq     bigint,
  name             text not null check (length(name) between 1 and 200),
  email            text not null check (length(email) between 3 and 254),
  phone            text check (length(phone) <= 40),
  organisation_id  bigint references organisation (id),
  role_title       text check (length(role_title) <= 200),
  companion        boolean not null default false,
  diet             text[] not null default '{}',
  consent_at       timestamptz,
  language         text not null default 'sv' check (language in ('sv', 'en')),
  source           text not null default 'web' check (source in ('web', 'api', 'organiser', 'walk_in')),
  idempotency_key  text check (length(idempotency_key) <= 200),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  confirmed_at     timestamptz,
  cancelled_at     timestamptz,
  erased_at        timestamptz,
  constraint waitlisted_has_place check (status <> 'waitlisted' or waitlist_seq is not null)
);
-- One live registration per e-mail and event; a cancelled one does not block signing up again.
create unique index registration_one_per_email on registration (event_id, lower(email)) where status <> 'cancelled';
create unique index registration_idempotency on registration (event_id, idempotency_key) where idempotency_key is not null;
create index registration_event_status on registration (event_id, status, waitlist_seq);

-- Manage links: only the SHA-256 of each token is stored; a re-sent link is a new token, old ones keep working.
create table manage_token (
  token_hash       bytea primary key,
  registration_id  uuid not null references registration (id) on delete cascade,
  created_at       timestamptz not null default now()
);

create table registration_need (
  registration_id  uuid not null references registration (id) on delete cascade,
  need_code        text not null references need (code),
  detail           text check (length(detail) <= 2000),
  primary key (registration_id, need_code)
);

-- A chosen session. Waitlisted registrations keep their choices but hold no session seat until promoted.
create table registration_session (
  registration_id  uuid not null references registration (id) on delete cascade,
  session_id       bigint not null references event_session (id) on delete cascade,
  holds_seat       boolean not null default false,
  primary key (registration_id, session_id)
);

-- Work for organisers: a need with a lead time, to arrange before book_by.
create table organiser_task (
  id               bigint generated always as identity primary key,
  event_id         bigint not null references event (id),
  registration_id  uuid not null references registration (id) on delete cascade,
  need_code        text not null references need (code),
  book_by          date not null,
  urgent           boolean not null,
  created_at       timestamptz not null default now(),
  done_at          timestamptz,
  unique (registration_id, need_code)
);

-- Transactional outbox: written in the same transaction as the change it announces; sent later.
create table outbox (
  id               bigint generated always as identity primary key,
  kind             text not null,
  event_id         bigint references event (id),
  registration_id  uuid references registration (id) on delete cascade,
  payload          jsonb not null default '{}',
  created_at       timestamptz not null default now(),
  available_at     timestamptz not null default now(),
  attempts         integer not null default 0,
  sent_at          timestamptz,
  failed_at        timestamptz,
  last_error       text
);
create index outbox_pending on outbox (available_at) where sent_at is null and failed_at is null;

-- Who read participants' needs (health data), and when.
create table audit_log (
  id             bigint generated always as identity primary key,
  staff_user_id  bigint references staff_user (id),
  action         text not null,
  event_id       bigint references event (id),
  at             timestamptz not null default now()
);
