-- The mail worker leases the oldest due rows (order by id ... for update skip locked). Through the primary key it
-- stepped over every row already sent, which the outbox keeps for the mail status pages; this index holds only the
-- rows still to send, in the order they are taken.
create index outbox_pending_in_order on outbox (id) where sent_at is null and failed_at is null;
