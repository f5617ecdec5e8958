-- Mail that never stalls (issue 22).
-- A lease is short and renewed while its message is being sent, and given back at shutdown; leased_until tells an
-- attempt in progress from a row waiting for its next try (available_at is both), so "Skicka igen" can make a
-- waiting mail due now without sending it twice.
alter table outbox add column leased_until timestamptz;

-- "Skicka igen" on a sent or failed mail queues a copy; pressed twice, still one copy.
alter table outbox add column resend_of bigint references outbox (id) on delete set null;
create unique index outbox_one_pending_resend on outbox (resend_of) where sent_at is null and failed_at is null;
