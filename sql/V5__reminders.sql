-- Reminder e-mails N days before an event (per event, default 2; 0 = none), queued exactly once.
alter table event add column reminder_days integer not null default 2 check (reminder_days between 0 and 60);
alter table event add column reminder_queued_at timestamptz;
