-- The feedback link in the after-event thank-you: a token that opens only that registration's survey. It is not
-- the manage token, because a survey link gets forwarded ("fill this in too") far more lightly than a link that can
-- cancel or erase the registration. Only the SHA-256 of each token is stored; every rendered mail gets a new one and
-- older ones keep working, like manage links. Erasing the registration deletes them.
create table feedback_token (
  token_hash       bytea primary key,
  registration_id  uuid not null references registration (id) on delete cascade,
  created_at       timestamptz not null default now()
);
create index feedback_token_registration on feedback_token (registration_id);
