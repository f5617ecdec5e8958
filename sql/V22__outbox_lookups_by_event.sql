-- Index probes for the outbox lookups that run all the time. Measured with EXPLAIN ANALYZE on an outbox of 546,000
-- rows (6,000 of them organiser alerts, 1,500 events):

-- The organiser's gathered "needs to book" e-mails of an event: whether one was queued within the interval
-- (OrganiserAlerts, every 5 s in every instance: a sequential scan of the whole outbox, 99 ms -> 1.4 ms), which of
-- them list a registration (my data: 2.3 -> 0.2 ms) and taking a registration out of them (erasure: 84 -> 0.2 ms).
-- Partial: only alert rows are indexed, so the sign-ups' and the mail worker's writes of all other rows pay nothing.
create index outbox_organiser_alert on outbox (event_id, created_at) where kind = 'organiser_alert';

-- Deleting an outbox row (erasure, the retention job's deletion of settled rows) makes PostgreSQL set resend_of to
-- null in the rows that re-sent it (the foreign key of V17): without an index that is a sequential scan of the whole
-- outbox for every row deleted (erasing one registration's three e-mails: 418 ms -> 0.2 ms). Few rows are re-sends.
create index outbox_resend_of on outbox (resend_of) where resend_of is not null;
