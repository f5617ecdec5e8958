-- Who attended an event: one row per registration with at least one admission (to the event itself or to one of
-- its sessions) that was not undone, and when they first came in. The one definition of "attended" for the
-- follow-up reports, the feedback survey and the thank-you e-mail.
create view attendance as
  select registration_id, event_id, min(checked_in_at) as first_checked_in_at
  from checkin
  where undone_at is null
  group by registration_id, event_id;
