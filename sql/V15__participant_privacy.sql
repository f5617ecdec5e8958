-- Self-service links that only the participant holds, idempotency keys that are retry markers, erasure that leaves
-- nothing that names the person, and believable offline check-in times.

-- An Idempotency-Key is a retry marker, not a key to a registration: it is stored with the SHA-256 of the request's
-- canonical form (the fingerprint). A replay with the same fingerprint gets the first answer; another request under
-- the same key is refused. registration_id is the registration the request made or (a second sign-up of the same
-- address) named, so erasing that registration deletes the key with it. Kept 24 hours (the retention job).
create table registration_request (
  event_id         bigint not null references event (id) on delete cascade,
  idempotency_key  text not null check (length(idempotency_key) between 1 and 200),
  fingerprint      bytea not null check (length(fingerprint) = 32),
  registration_id  uuid references registration (id) on delete cascade,
  created_at       timestamptz not null default now(),
  primary key (event_id, idempotency_key)
);
create index registration_request_registration on registration_request (registration_id);
create index registration_request_created on registration_request (created_at);

-- The key on the registration itself handed out the registration to whoever replayed it; old keys are not carried
-- over (a retry from before this version is answered as a second sign-up of the address: neutrally).
drop index registration_idempotency;
alter table registration drop column idempotency_key;

-- Manage links are deleted by registration (a link asked for again replaces the older ones; erasure).
create index manage_token_registration on manage_token (registration_id, created_at);

-- An organiser removed the registration: the person gets the cancellation e-mail, then the retention job erases the
-- personal data as soon as no e-mail of the registration is waiting any more.
alter table registration add column erase_requested_at timestamptz;
create index registration_erase_requested on registration (erase_requested_at)
  where erase_requested_at is not null and erased_at is null;

-- Outbox rows by registration (erasure, "download my data", the re-sent link's 15 minutes) and by age (sent rows
-- are deleted after 30 days).
create index outbox_registration on outbox (registration_id, kind, created_at);
create index outbox_settled on outbox (coalesce(sent_at, failed_at)) where sent_at is not null or failed_at is not null;

-- A device's scan time outside the event's day (its start minus 12 hours to its end plus 12 hours) is not believed:
-- the scan is recorded at the server's time, flagged as a conflict, and the time the device claimed is kept here.
alter table checkin_scan add column claimed_at timestamptz;
