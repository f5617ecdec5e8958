-- What became of each outbox row: sent, skipped (nothing to send any more, e.g. cancelled meanwhile) or failed
-- (gave up after 24 hours). The Message-ID is fixed per row, so a resend after a crash is recognisable.
alter table outbox add column outcome text check (outcome in ('sent', 'skipped', 'failed'));
alter table outbox add column message_id text;
alter table outbox add column recipient text;
