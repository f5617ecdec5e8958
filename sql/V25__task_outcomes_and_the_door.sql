-- Issue 20: a task (a need with a lead time) has an outcome, and the participant is told it once.
-- state: to_book (open), booked, unavailable (could not be arranged), not_needed (not needed any more).
-- done_at stays what it was (set when a task leaves to_book), so everything that asks "still to book?" keeps working.
alter table organiser_task
  add column state text not null default 'to_book'
    check (state in ('to_book', 'booked', 'unavailable', 'not_needed')),
  -- The organiser's note (why it could not be arranged, what was booked): may name people; erased with the person.
  add column note text check (char_length(note) <= 1000),
  -- The outcome the participant was last told of (booked or unavailable): each outcome is told once.
  add column told_state text check (told_state in ('booked', 'unavailable')),
  add column state_changed_at timestamptz;
update organiser_task set state = 'booked', state_changed_at = done_at where done_at is not null;

-- The door without gaps. "Släpp in ändå": a walk-in let in beyond capacity, against seats held by no-shows. They
-- hold no seat (the event stays within capacity on paper, so nobody on the waiting list is promoted because of
-- them, and a cancellation frees no seat they never had) and are counted as over-capacity walk-ins.
alter table registration add column over_capacity boolean not null default false;
-- Check-ins count from 12 hours before the start to 12 hours after the end; a scan outside that is refused
-- (too_early, too_late), and a test scan (result test) is recorded but never admits anyone.
alter table checkin_scan drop constraint checkin_scan_result_check;
alter table checkin_scan add constraint checkin_scan_result_check check (result in ('ok', 'already_checked_in',
  'cancelled', 'waitlisted', 'wrong_event', 'not_in_session', 'invalid', 'revoked', 'too_early', 'too_late', 'test'));
