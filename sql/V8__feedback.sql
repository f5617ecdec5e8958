-- Feedback survey after an event: one answer per attended registration, editable until the survey closes.
-- The rating stays for the follow-up; the free-text comments are personal data and are erased with the rest
-- of the registration's personal data (retention or the participant's own erasure).

alter table event add column feedback_closes_at timestamptz;

create table feedback (
  registration_id  uuid primary key references registration (id) on delete cascade,
  event_id         bigint not null references event (id),
  rating           smallint not null check (rating between 1 and 5),
  most_valuable    text check (length(most_valuable) <= 4000),
  improve          text check (length(improve) <= 4000),
  future_interest  text check (length(future_interest) <= 4000),
  submitted_at     timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index feedback_event on feedback (event_id);

-- When the after-event thank-you (with the feedback link) was queued for an event, so it is queued once.
alter table event add column thanks_queued_at timestamptz;
