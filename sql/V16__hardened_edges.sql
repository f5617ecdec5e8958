-- Hardened edges: rate limits kept where every instance sees them, password resets, sessions that can be ended
-- per person, organisation names the public typed that wait for an organiser, and the organiser's gathered alerts.

-- Token buckets (bucket4j's serialised state), one row per limited key ("signin-account:…", "signup-client:…").
-- Updated by compare-and-swap on the state itself; a row is only a cache of a bucket that is not full, so rows
-- past expires_at (the bucket has refilled by then) are deleted now and then.
create table rate_limit_bucket (
  key         text primary key check (length(key) <= 400),
  state       bytea not null,
  expires_at  timestamptz not null
);
create index rate_limit_bucket_expires on rate_limit_bucket (expires_at);

-- "Glömt lösenordet?": one row per request. The link's token is made when the e-mail is written (so it is never
-- stored in plain text, not even in the outbox); only its SHA-256 is kept, it works once and for one hour.
create table password_reset (
  id             bigint generated always as identity primary key,
  staff_user_id  bigint not null references staff_user (id) on delete cascade,
  requested_by   bigint references staff_user (id) on delete set null,
  language       text not null default 'sv' check (language in ('sv', 'en')),
  token_hash     bytea unique,
  created_at     timestamptz not null default now(),
  expires_at     timestamptz,
  used_at        timestamptz
);
create index password_reset_staff on password_reset (staff_user_id);

-- A locked account tells its owner once; cleared by the next successful sign-in.
alter table staff_user add column lockout_notified_at timestamptz;

-- Whose web session this is, so that a new password can end the person's other sessions. Sessions are stored
-- only for signed-in staff; the rows stored before this column existed cannot be told apart, so they end here
-- (everyone signs in once more).
delete from web_session;
alter table web_session add column staff_user_id bigint not null references staff_user (id) on delete cascade;
create index web_session_staff on web_session (staff_user_id);

-- Organisation names typed on the public sign-up form are shown to the public only once an organiser has accepted
-- them; until then the follow-up counts them as "other". Every name known so far stays as it is.
alter table organisation add column accepted_at timestamptz default now();
create index organisation_pending on organisation (created_at) where accepted_at is null;

-- The organiser's "needs to book" e-mails are gathered per event (mail.OrganiserAlerts): a task is alerted once, in
-- the next e-mail for its event. Tasks made before this were alerted one by one already.
alter table organiser_task add column alerted_at timestamptz;
update organiser_task set alerted_at = created_at;
create index organiser_task_not_alerted on organiser_task (event_id) where alerted_at is null;
