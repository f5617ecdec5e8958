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
