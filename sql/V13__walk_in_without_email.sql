-- Someone who comes to the door without an e-mail address can still be registered and let in (a walk-in); they
-- get no e-mail. Everyone else gives an address: their ticket and manage link go there.
alter table registration alter column email drop not null;
alter table registration add constraint registration_email_unless_walk_in check (email is not null or source = 'walk_in');
