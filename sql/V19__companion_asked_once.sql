-- A companion is one fact, asked once: the companion question, whose answer books the companion's seat
-- (registration.companion). The needs catalogue also had "Ledsagare/personlig assistent", so people were asked twice
-- and could tick the need without getting the seat. The need is no longer offered; a request naming it is taken as the
-- companion answer (registration/Need.COMPANION). Where both were given, the need is the same fact told twice and
-- goes; where only the need was ticked it stays, shown to the organiser as stated, and the person's change form
-- offers the companion answer ticked, so saving it books the seat.
update need set active = false where code = 'ledsagare';
delete from registration_need
where need_code = 'ledsagare'
  and registration_id in (select id from registration where companion);
