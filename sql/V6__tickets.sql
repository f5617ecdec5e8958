-- Tickets: codes signed with the event's Ed25519 key, so a scanner can tell a forged code without asking the
-- database; revocation (a replaced ticket, a cancelled registration) is what needs the database.

-- One key pair per event, created on first use and never changed: printed tickets must stay verifiable.
-- private_key is PKCS#8, public_key X.509 SubjectPublicKeyInfo (what check-in devices fetch).
create table event_key (
  event_id     bigint primary key references event (id),
  private_key  bytea not null,
  public_key   bytea not null,
  created_at   timestamptz not null default now()
);

create table ticket (
  id               bigint generated always as identity primary key,
  registration_id  uuid not null references registration (id) on delete cascade,
  event_id         bigint not null references event (id),
  code             text not null check (code ~ '^[A-Z2-7]{1,200}$'),
  reference        text not null unique check (reference ~ '^HÖK-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$'),
  issued_at        timestamptz not null default now(),
  revoked_at       timestamptz
);
-- At most one valid ticket per registration: a new one is issued only by revoking the old one.
create unique index ticket_one_current on ticket (registration_id) where revoked_at is null;
create index ticket_registration on ticket (registration_id);
-- What scanners sync: the revoked tickets of an event.
create index ticket_event_revoked on ticket (event_id, revoked_at) where revoked_at is not null;
