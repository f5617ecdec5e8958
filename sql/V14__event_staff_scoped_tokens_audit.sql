-- Health data reaches only the people who need it (issue 11):
--  * event_staff: who organises an event and who works its door. Access to an event's participants, needs and door
--    is decided from these rows (staff/EventAccess); admins need none.
--  * api_token.scope: the door page's token carries only the door of one event, and ends when its web sign-in ends.
--  * audit_log says who read what about which event, how many people, with or without needs, from where.

create table event_staff (
  event_id       bigint not null references event (id) on delete cascade,
  staff_user_id  bigint not null references staff_user (id) on delete cascade,
  role           text not null check (role in ('organiser', 'door')),
  added_at       timestamptz not null default now(),
  added_by       bigint references staff_user (id) on delete set null,
  primary key (event_id, staff_user_id)
);
-- "My events": the organiser's overview and the access check by person.
create index event_staff_by_staff on event_staff (staff_user_id, event_id);

-- Whoever created an event until now is its organiser.
insert into event_staff (event_id, staff_user_id, role, added_at, added_by)
select e.id, e.created_by, 'organiser', e.created_at, e.created_by
from event e
where e.created_by is not null
on conflict do nothing;

-- 'full': every right of the account (POST /auth/token). 'door': the check-in operations of one event only, issued
-- by the door page and tied to the web sign-in that opened it (sign_in, a random id kept in the web session), so
-- that signing out deletes it.
alter table api_token
  add column scope     text not null default 'full' check (scope in ('full', 'door')),
  add column event_id  bigint references event (id) on delete cascade,
  add column sign_in   text check (length(sign_in) <= 100),
  add constraint api_token_door_has_event check ((scope = 'door') = (event_id is not null));
create index api_token_by_staff on api_token (staff_user_id);
create index api_token_by_sign_in on api_token (sign_in) where sign_in is not null;

-- What was read: action names the list (registrations, registrations_csv, diet_list, needs_summary, door_search,
-- door_sync, door_scan, door_conflicts, followup_participants_csv/xlsx, mail_status, feedback_comments, feedback_csv).
alter table audit_log
  add column with_needs      boolean not null default false,
  add column people          integer check (people >= 0),
  add column client_address  text check (length(client_address) <= 100),
  add column via             text check (via in ('page', 'api'));
-- Rows written before this migration recorded only the registrations list, which shows needs.
update audit_log set with_needs = true where action = 'read_registrations';
-- The admin's log, newest first, by event or person; and the yearly deletion.
create index audit_log_at on audit_log (at);
create index audit_log_event on audit_log (event_id, at);
create index audit_log_staff on audit_log (staff_user_id, at);
