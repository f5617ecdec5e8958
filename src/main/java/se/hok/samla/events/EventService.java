package se.hok.samla.events;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import se.hok.samla.staff.EventStaff;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.ValidationException;

/** Events, their sessions, venues, organisations and the action plan. All SQL about them lives here. */
public final class EventService {
  private static final String EVENT_COLUMNS = """
      e.id, e.kind, e.title_sv, e.title_en, e.description_sv, e.description_en, e.starts_at, e.ends_at,
      e.online_url, e.capacity, e.seats_taken, e.registration_opens_at, e.registration_closes_at, e.status,
      e.organiser_name, e.organiser_email, e.reminder_days, e.cancel_reason, e.rescheduled_to,
      v.id as v_id, v.name as v_name, v.address as v_address, v.step_free_entrance, v.hearing_loop,
      v.accessible_toilet, v.disabled_parking, v.accessibility_notes,
      y.year as y_year, y.theme as y_theme, y.focus_area as y_focus_area,
      a.id as a_id, a.plan_year as a_year, a.title as a_title, a.kind as a_kind, a.target as a_target,
      a.notes as a_notes, a.position as a_position
      from event e
      left join venue v on v.id = e.venue_id
      left join action_plan_year y on y.year = e.plan_year
      left join planned_activity a on a.id = e.planned_activity_id
      """;

  /** How long a change notice waits for more edits of the same event before it is sent (see {@link ChangeNotices}). */
  public static final Duration CHANGE_NOTICE_DELAY = Duration.ofMinutes(5);

  private final Pool pool;
  private final EventMails mails;
  private final Duration changeNoticeDelay;
  private final Clock clock;

  public EventService(Pool pool, EventMails mails) {
    this(pool, mails, CHANGE_NOTICE_DELAY, Clock.systemDefaultZone());
  }

  /**
   * {@code mails}: where cancellations and changes queue their e-mails; {@code changeNoticeDelay}: a burst of edits
   * within it gives each participant one e-mail.
   */
  public EventService(Pool pool, EventMails mails, Duration changeNoticeDelay, Clock clock) {
    this.pool = pool;
    this.mails = mails;
    this.changeNoticeDelay = changeNoticeDelay;
    this.clock = clock;
  }

  /** Which events to list. Null fields do not filter. */
  public record Query(Set<EventStatus> statuses, EventKind kind, Integer year, Boolean upcoming, OffsetDateTime now) {}

  Future<List<Event>> list(Query q) {
    List<Object> params = new ArrayList<>();
    StringBuilder where = new StringBuilder(" where true");
    if (q.statuses() != null) {
      params.add(q.statuses().stream().map(EventStatus::code).toArray(String[]::new));
      where.append(" and e.status = any($").append(params.size()).append(")");
    }
    if (q.kind() != null) {
      params.add(q.kind().code());
      where.append(" and e.kind = $").append(params.size());
    }
    if (q.year() != null) {
      params.add(q.year());
      where.append(" and e.plan_year = $").append(params.size());
    }
    String order = " order by e.starts_at";
    if (q.upcoming() != null) {
      params.add(q.now());
      where.append(q.upcoming() ? " and e.ends_at >= $" : " and e.ends_at < $").append(params.size());
      if (!q.upcoming()) {
        order = " order by e.starts_at desc";
      }
    }
    return pool.preparedQuery("select " + EVENT_COLUMNS + where + order + " limit 500")
        .execute(Tuple.from(params))
        .compose(rows -> withSessions(pool, rows));
  }

  public Future<Event> get(long id) {
    return find(pool, id).map(found -> found.orElseThrow(() -> new NotFoundException("event " + id)));
  }

  /** A published (or cancelled) event, as the public may see it. Drafts are hidden. */
  public Future<Event> getPublic(long id) {
    return get(id).map(e -> {
      if (e.status() == EventStatus.DRAFT) {
        throw new NotFoundException("event " + id);
      }
      return e;
    });
  }

  /** Creates a draft; whoever creates it is its organiser (event_staff), in the same transaction. */
  Future<Event> create(EventInput input, long staffId) {
    return validated(input).compose(d -> pool.withTransaction(conn -> checkReferences(conn, d)
        .compose(year -> conn.preparedQuery("""
                insert into event (kind, title_sv, title_en, description_sv, description_en, starts_at, ends_at,
                  venue_id, online_url, capacity, registration_opens_at, registration_closes_at, plan_year,
                  organiser_name, organiser_email, created_by, reminder_days, planned_activity_id)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                returning id""")
            .execute(Tuple.from(new Object[] {d.kind().code(), d.titleSv(), d.titleEn(), d.descriptionSv(),
                d.descriptionEn(), d.startsAt(), d.endsAt(), d.venueId(), d.onlineUrl(), d.capacity(),
                d.registrationOpensAt(), d.registrationClosesAt(), year, d.organiserName(),
                d.organiserEmail(), staffId, d.reminderDays(), d.plannedActivityId()})))
        .compose(rows -> {
          long id = rows.iterator().next().getLong("id");
          return insertSessions(conn, id, d.sessions())
              .compose(v -> placeInRooms(conn, id))
              .compose(v -> EventStaff.addCreator(conn, id, staffId))
              .compose(v -> find(conn, id)).map(Optional::orElseThrow);
        })));
  }

  /** How long a change notice waits for more edits before it is sent. */
  Duration changeNoticeDelay() {
    return changeNoticeDelay;
  }

  private static Future<EventInput.Data> validated(EventInput input) {
    return validated(input, FieldChecks.forForm("event"));
  }

  private static Future<EventInput.Data> validated(EventInput input, FieldChecks checks) {
    return Future.succeededFuture(input).map(i -> i.validate(checks));
  }

  /** Replaces the event's facts (see {@link #update(long, EventInput, String)}), with no note to the participants. */
  public Future<Event> update(long id, EventInput input) {
    return update(id, input, null).map(Updated::event);
  }

  /** An event as saved, and who is told of the change (nobody, when nothing they need to know changed). */
  public record Updated(Event event, ChangeNotices.Told told) {}

  /** The longest note to the participants an organiser may add to a change. */
  public static final int NOTE_MAX = 1000;

  /**
   * Replaces the event's facts; sessions with an id are updated, new ones added, missing ones removed. When the event is
   * published and not over, a change of its time, place, online link, or of a session's time or room, is told to the
   * people it concerns ({@link ChangeNotices}), with the organiser's {@code note} (optional, at most {@link #NOTE_MAX}
   * characters), in the same transaction.
   */
  public Future<Updated> update(long id, EventInput input, String note) {
    FieldChecks checks = FieldChecks.forForm("event");
    String cleanNote = checks.text("changeNote", note, false, NOTE_MAX);
    return validated(input, checks).compose(d -> pool.withTransaction(conn -> lockForChange(conn, id)
        .compose(current -> checkReferences(conn, d).map(year -> Map.entry(current, java.util.Optional.ofNullable(year))))
        .compose(found -> {
          Event current = found.getKey();
          Integer year = found.getValue().orElse(null);
          if (d.capacity() < current.seatsTaken()) {
            throw se.hok.samla.web.ValidationException.of("capacity", "error.event.capacityBelowTaken", current.seatsTaken());
          }
          Map<Long, EventSession> existing = current.sessions().stream()
              .collect(Collectors.toMap(EventSession::id, s -> s));
          FieldChecks sessionChecks = new FieldChecks();
          for (int i = 0; i < d.sessions().size(); i++) {
            EventInput.SessionData s = d.sessions().get(i);
            if (s.id() != null) {
              EventSession before = existing.get(s.id());
              if (before == null) {
                sessionChecks.add("sessions[" + i + "].id", "error.event.sessionUnknown");
              } else if (s.capacity() < before.seatsTaken()) {
                sessionChecks.add("sessions[" + i + "].capacity", "error.event.capacityBelowTaken", before.seatsTaken());
              }
            }
          }
          Set<Long> kept = d.sessions().stream().map(EventInput.SessionData::id)
              .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
          List<Long> removed = new ArrayList<>();
          for (EventSession s : current.sessions()) {
            if (!kept.contains(s.id())) {
              if (s.seatsTaken() > 0) {
                sessionChecks.add("sessions", "error.event.sessionHasParticipants", s.titleSv());
              }
              removed.add(s.id());
            }
          }
          sessionChecks.throwIfAny();
          return conn.preparedQuery("""
                  update event set kind = $2, title_sv = $3, title_en = $4, description_sv = $5, description_en = $6,
                    starts_at = $7, ends_at = $8, venue_id = $9, online_url = $10, capacity = $11,
                    registration_opens_at = $12, registration_closes_at = $13, plan_year = $14,
                    organiser_name = $15, organiser_email = $16, reminder_days = $17, planned_activity_id = $18,
                    reminder_queued_at = case when starts_at = $7 and reminder_days = $17 then reminder_queued_at end,
                    updated_at = now()
                  where id = $1""")
              .execute(Tuple.from(new Object[] {id, d.kind().code(), d.titleSv(), d.titleEn(), d.descriptionSv(),
                  d.descriptionEn(), d.startsAt(), d.endsAt(), d.venueId(), d.onlineUrl(), d.capacity(),
                  d.registrationOpensAt(), d.registrationClosesAt(), year, d.organiserName(),
                  d.organiserEmail(), d.reminderDays(), d.plannedActivityId()}))
              .compose(v -> removed.isEmpty() ? Future.succeededFuture() : conn
                  .preparedQuery("delete from event_session where event_id = $1 and id = any($2)")
                  .execute(Tuple.tuple().addLong(id).addArrayOfLong(removed.toArray(Long[]::new))).mapEmpty())
              .compose(v -> updateSessions(conn, d.sessions().stream().filter(s -> s.id() != null).toList()))
              .compose(v -> insertSessions(conn, id, d.sessions().stream().filter(s -> s.id() == null).toList()))
              // Another plan year or start may put the event in another period: its participants' keys follow.
              .compose(v -> ParticipantKeys.refreshEvent(conn, id))
              .compose(v -> placeInRooms(conn, id))
              .compose(v -> find(conn, id))
              .map(Optional::orElseThrow)
              .compose(after -> ChangeNotices.tell(conn, mails, current, after, cleanNote, changeNoticeDelay,
                      OffsetDateTime.now(clock))
                  .map(told -> new Updated(after, told)));
        })));
  }

  /** Draft → published. Publishing again changes nothing; a cancelled event cannot be published. */
  Future<Event> publish(long id) {
    return pool.withTransaction(conn -> lockForChange(conn, id)
        .compose(e -> e.status() == EventStatus.PUBLISHED ? Future.succeededFuture() : conn
            .preparedQuery("update event set status = 'published', published_at = now(), updated_at = now() where id = $1")
            .execute(Tuple.of(id)).mapEmpty())
        .compose(v -> find(conn, id)).map(Optional::orElseThrow));
  }

  /** Cancels an event without a reason (see {@link #cancel(long, String, String, boolean)}). */
  public Future<Event> cancel(long id) {
    return cancel(id, null, null, false);
  }

  /** The longest reason for calling an event off. */
  public static final int REASON_MAX = 1000;

  /**
   * Cancels an event and tells everyone registered (in the same transaction), with the organiser's reason and the new
   * date, if any, which the e-mail carries (they are read when it is sent). Cancelling again changes nothing. A reason
   * longer than {@link #REASON_MAX}, a required reason missing, or a new date that is not a date of the future are field
   * errors ({@code reason}, {@code newDate}), and nothing is cancelled.
   */
  public Future<Event> cancel(long id, String reason, String newDate, boolean reasonRequired) {
    FieldChecks checks = new FieldChecks();
    String why = checks.text("reason", reason, reasonRequired, REASON_MAX);
    java.time.LocalDate rescheduled = null;
    String date = newDate == null ? null : newDate.strip();
    if (date != null && !date.isEmpty()) {
      try {
        rescheduled = java.time.LocalDate.parse(date);
        if (rescheduled.isBefore(java.time.LocalDate.now(clock.withZone(EventInput.STOCKHOLM)))) {
          checks.add("newDate", "notices.error.newDatePast");
        }
      } catch (java.time.format.DateTimeParseException e) {
        checks.add("newDate", "notices.error.date");
      }
    }
    try {
      checks.throwIfAny();
    } catch (se.hok.samla.web.ValidationException e) {
      return Future.failedFuture(e);
    }
    java.time.LocalDate newDay = rescheduled;
    return pool.withTransaction(conn -> find(conn, id, true)
        .map(found -> found.orElseThrow(() -> new NotFoundException("event " + id)))
        .compose(e -> e.status() == EventStatus.CANCELLED ? Future.succeededFuture() : conn
            .preparedQuery("update event set status = 'cancelled', cancelled_at = now(), updated_at = now(), "
                + "cancel_reason = $2, rescheduled_to = $3 where id = $1")
            .execute(Tuple.of(id, why, newDay))
            .compose(v -> mails.toEveryone(conn, "event_cancelled", id)).mapEmpty())
        .compose(v -> find(conn, id)).map(Optional::orElseThrow));
  }

  Future<List<Venue>> venues() {
    return pool.query("select * from venue order by lower(name)").execute()
        .map(rows -> {
          List<Venue> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Venue(r.getLong("id"), r.getString("name"), r.getString("address"),
              r.getBoolean("step_free_entrance"), r.getBoolean("hearing_loop"), r.getBoolean("accessible_toilet"),
              r.getBoolean("disabled_parking"), r.getString("accessibility_notes"))));
          return out;
        });
  }

  Future<Venue> createVenue(VenueInput input) {
    return Future.succeededFuture(input).map(VenueInput::validate).compose(v -> pool.preparedQuery("""
            insert into venue (name, address, step_free_entrance, hearing_loop, accessible_toilet, disabled_parking,
              accessibility_notes) values ($1, $2, $3, $4, $5, $6, $7) returning id""")
        .execute(Tuple.from(new Object[] {v.name(), v.address(), v.stepFreeEntrance(), v.hearingLoop(),
            v.accessibleToilet(), v.disabledParking(), v.accessibilityNotes()}))
        .map(rows -> new Venue(rows.iterator().next().getLong("id"), v.name(), v.address(), v.stepFreeEntrance(),
            v.hearingLoop(), v.accessibleToilet(), v.disabledParking(), v.accessibilityNotes())));
  }

  /** The organisations people may choose from (accepted ones; see OrganisationNames), optionally by name. */
  /** The rooms of a venue, by name; the venue must exist. */
  Future<List<Room>> rooms(long venueId) {
    return pool.preparedQuery("select id from venue where id = $1").execute(Tuple.of(venueId))
        .compose(found -> found.size() == 0 ? Future.failedFuture(new NotFoundException("venue " + venueId))
            : pool.preparedQuery("select * from room where venue_id = $1 order by lower(name)").execute(Tuple.of(venueId)))
        .map(rows -> {
          List<Room> out = new ArrayList<>();
          rows.forEach(r -> out.add(room(r)));
          return out;
        });
  }

  /** Every venue's rooms, by venue (for the event form's choice of room). */
  Future<Map<Long, List<Room>>> allRooms() {
    return pool.query("select * from room order by venue_id, lower(name)").execute().map(rows -> {
      Map<Long, List<Room>> out = new LinkedHashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getLong("venue_id"), k -> new ArrayList<>()).add(room(r)));
      return out;
    });
  }

  /** Adds a room to a venue; a name the venue has already (in any letter case) is a field error. */
  Future<Room> createRoom(long venueId, RoomInput input, String fieldPrefix) {
    RoomInput.Data d;
    try {
      d = input.validate(fieldPrefix);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return pool.preparedQuery("select id from venue where id = $1").execute(Tuple.of(venueId))
        .compose(found -> found.size() == 0 ? Future.failedFuture(new NotFoundException("venue " + venueId))
            : pool.preparedQuery("""
                    insert into room (venue_id, name, hearing_loop, step_free, wheelchair_places, notes)
                    values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning *""")
                .execute(Tuple.of(venueId, d.name(), d.hearingLoop(), d.stepFree(), d.wheelchairPlaces(), d.notes())))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ValidationException.of(fieldPrefix + "name", "error.room.nameTaken"))
            : Future.succeededFuture(room(rows.iterator().next())));
  }

  private static Room room(Row r) {
    return new Room(r.getLong("id"), r.getLong("venue_id"), r.getString("name"), r.getBoolean("hearing_loop"),
        r.getBoolean("step_free"), r.getInteger("wheelchair_places"), r.getString("notes"));
  }

  /**
   * The accepted organisations (the public lists show no name an organiser has not accepted), all by name, or – with a
   * search – those it finds, best first: every word typed is the start of a word of the name, in any order and letter
   * case ("DHR Halland" finds "DHR Region Halland", "sensus stud" finds "Studieförbundet Sensus"), or the name is like
   * it (pg_trgm's word similarity at least 0.5, which forgives a typo: "Parasport Haland").
   */
  public Future<List<Organisation>> organisations(String search) {
    String q = search == null ? "" : search.strip();
    if (q.length() > 200) {
      q = q.substring(0, 200);
    }
    return pool.preparedQuery("""
            select id, name, sector, signatory, signatory_since, signatory_until from organisation o
            where accepted_at is not null and ($1 = ''
              or (select bool_and(exists (
                    select 1 from regexp_split_to_table(lower(o.name), '[[:space:][:punct:]]+') n
                    where starts_with(n, w)))
                  from regexp_split_to_table(lower($1), '[[:space:][:punct:]]+') w where w <> '')
              or word_similarity(lower($1), lower(o.name)) >= 0.5)
            order by lower(name) = lower($1) desc, word_similarity(lower($1), lower(name)) desc, lower(name)
            limit 200""")
        .execute(Tuple.of(q))
        .map(rows -> {
          List<Organisation> out = new ArrayList<>();
          // The public's view: no contact person.
          rows.forEach(r -> out.add(new Organisation(r.getLong("id"), r.getString("name"), r.getString("sector"),
              r.getBoolean("signatory"), r.getLocalDate("signatory_since"), r.getLocalDate("signatory_until"), null,
              null)));
          return out;
        });
  }

  public Future<List<PlanYear>> planYears() {
    return pool.query("select year, theme, focus_area from action_plan_year order by year").execute()
        .map(rows -> {
          List<PlanYear> out = new ArrayList<>();
          rows.forEach(r -> out.add(new PlanYear(r.getInteger("year"), r.getString("theme"), r.getString("focus_area"))));
          return out;
        });
  }

  /**
   * Venue, plan year and planned activity must exist, the activity must be of the event's year, and a session's room
   * must be a room of the event's venue; reported as field errors ({@code sessions[2].roomId}), not as a database
   * failure. Returns the plan year to store (an event linked to an activity without a year of its own takes the
   * activity's).
   */
  private static Future<Integer> checkReferences(SqlConnection conn, EventInput.Data d) {
    Long[] roomIds = d.sessions().stream().map(EventInput.SessionData::roomId).filter(java.util.Objects::nonNull)
        .toArray(Long[]::new);
    return conn.preparedQuery("select (select count(*) from venue where id = $1) as venues, "
            + "(select count(*) from action_plan_year where year = $2) as years, "
            + "(select coalesce(jsonb_object_agg(id::text, venue_id), '{}'::jsonb) from room where id = any($3)) as rooms")
        .execute(Tuple.of(d.venueId(), d.year(), roomIds))
        .map(rows -> {
          Row r = rows.iterator().next();
          FieldChecks checks = new FieldChecks();
          io.vertx.core.json.JsonObject rooms = (io.vertx.core.json.JsonObject) r.getJson("rooms");
          for (int i = 0; i < d.sessions().size(); i++) {
            Long room = d.sessions().get(i).roomId();
            if (room == null) {
              continue;
            }
            Object venue = rooms.getValue(String.valueOf(room));
            if (venue == null) {
              checks.add("sessions[" + i + "].roomId", "error.event.roomUnknown");
            } else if (d.venueId() == null || ((Number) venue).longValue() != d.venueId()) {
              checks.add("sessions[" + i + "].roomId", "error.event.roomOtherVenue");
            }
          }
          if (d.venueId() != null && r.getLong("venues") == 0) {
            checks.add("venueId", "error.event.venueUnknown");
          }
          if (d.year() != null && r.getLong("years") == 0) {
            checks.add("year", "error.event.yearUnknown");
          }
          checks.throwIfAny();
          return null;
        })
        .compose(v -> ActionPlan.checkActivity(conn, d.plannedActivityId(), d.year()));
  }

  private static Future<Event> lockForChange(SqlConnection conn, long id) {
    return find(conn, id, true).map(found -> {
      Event e = found.orElseThrow(() -> new NotFoundException("event " + id));
      if (e.status() == EventStatus.CANCELLED) {
        throw new ConflictException("event_cancelled", Msg.of("error.event.cancelled"));
      }
      return e;
    });
  }

  private static Future<Void> insertSessions(SqlConnection conn, long eventId, List<EventInput.SessionData> sessions) {
    if (sessions.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = sessions.stream()
        .map(s -> Tuple.from(new Object[] {eventId, s.titleSv(), s.titleEn(), s.startsAt(), s.endsAt(), s.capacity(), s.room(),
            s.roomId()}))
        .toList();
    return conn.preparedQuery("insert into event_session (event_id, title_sv, title_en, starts_at, ends_at, capacity, room, room_id) "
            + "values ($1, $2, $3, $4, $5, $6, coalesce((select name from room where id = $8), $7), $8)")
        .executeBatch(batch).mapEmpty();
  }

  private static Future<Void> updateSessions(SqlConnection conn, List<EventInput.SessionData> sessions) {
    if (sessions.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = sessions.stream()
        .map(s -> Tuple.from(new Object[] {s.id(), s.titleSv(), s.titleEn(), s.startsAt(), s.endsAt(), s.capacity(), s.room(),
            s.roomId()}))
        .toList();
    return conn.preparedQuery("update event_session set title_sv = $2, title_en = $3, starts_at = $4, ends_at = $5, "
            + "capacity = $6, room = coalesce((select name from room where id = $8), $7), room_id = $8 where id = $1")
        .executeBatch(batch).mapEmpty();
  }

  /**
   * Sessions whose place is given as text only, naming a room of the event's venue (in any letter case), are placed in
   * that room; a session's room of another venue (the event moved) is let go, its name kept as the text.
   */
  private static Future<Void> placeInRooms(SqlConnection conn, long eventId) {
    return conn.preparedQuery("""
            update event_session s set room_id = null
            where s.event_id = $1 and s.room_id is not null and not exists (
              select 1 from room r join event e on e.venue_id = r.venue_id where r.id = s.room_id and e.id = s.event_id)""")
        .execute(Tuple.of(eventId))
        .compose(v -> conn.preparedQuery("""
            update event_session s set room_id = r.id, room = r.name
            from event e, room r
            where s.event_id = $1 and e.id = s.event_id and r.venue_id = e.venue_id and s.room_id is null
              and s.room is not null and lower(r.name) = lower(btrim(s.room))""")
            .execute(Tuple.of(eventId)))
        .mapEmpty();
  }

  private static Future<Optional<Event>> find(io.vertx.sqlclient.SqlClient client, long id) {
    return find(client, id, false);
  }

  private static Future<Optional<Event>> find(io.vertx.sqlclient.SqlClient client, long id, boolean lock) {
    return client.preparedQuery("select " + EVENT_COLUMNS + " where e.id = $1" + (lock ? " for update of e" : ""))
        .execute(Tuple.of(id))
        .compose(rows -> withSessions(client, rows))
        .map(events -> events.isEmpty() ? Optional.empty() : Optional.of(events.get(0)));
  }

  private static Future<List<Event>> withSessions(io.vertx.sqlclient.SqlClient client, RowSet<Row> rows) {
    Map<Long, Row> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.getLong("id"), r));
    if (byId.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client.preparedQuery("""
            select s.*, r.venue_id as r_venue_id, r.name as r_name, r.hearing_loop as r_hearing_loop,
              r.step_free as r_step_free, r.wheelchair_places as r_wheelchair_places, r.notes as r_notes
            from event_session s left join room r on r.id = s.room_id
            where s.event_id = any($1) order by s.starts_at, s.title_sv""")
        .execute(Tuple.of(byId.keySet().toArray(Long[]::new)))
        .map(sessionRows -> {
          Map<Long, List<EventSession>> sessions = new HashMap<>();
          sessionRows.forEach(s -> sessions.computeIfAbsent(s.getLong("event_id"), k -> new ArrayList<>())
              .add(new EventSession(s.getLong("id"), s.getString("title_sv"), s.getString("title_en"),
                  s.getOffsetDateTime("starts_at"), s.getOffsetDateTime("ends_at"), s.getInteger("capacity"),
                  s.getInteger("seats_taken"), s.getString("room"), s.getLong("room_id") == null ? null
                  : new Room(s.getLong("room_id"), s.getLong("r_venue_id"), s.getString("r_name"), s.getBoolean("r_hearing_loop"),
                      s.getBoolean("r_step_free"), s.getInteger("r_wheelchair_places"), s.getString("r_notes")))));
          List<Event> out = new ArrayList<>();
          byId.forEach((id, r) -> out.add(event(r, sessions.getOrDefault(id, List.of()))));
          return out;
        });
  }

  private static Event event(Row r, List<EventSession> sessions) {
    Venue venue = r.getLong("v_id") == null ? null : new Venue(r.getLong("v_id"), r.getString("v_name"),
        r.getString("v_address"), r.getBoolean("step_free_entrance"), r.getBoolean("hearing_loop"),
        r.getBoolean("accessible_toilet"), r.getBoolean("disabled_parking"), r.getString("accessibility_notes"));
    PlanYear year = r.getInteger("y_year") == null ? null
        : new PlanYear(r.getInteger("y_year"), r.getString("y_theme"), r.getString("y_focus_area"));
    PlannedActivity activity = r.getLong("a_id") == null ? null : new PlannedActivity(r.getLong("a_id"),
        r.getInteger("a_year"), r.getString("a_title"), r.getString("a_kind"), r.getString("a_target"),
        r.getString("a_notes"), r.getInteger("a_position"));
    return new Event(r.getLong("id"), EventKind.parse(r.getString("kind")), r.getString("title_sv"),
        r.getString("title_en"), r.getString("description_sv"), r.getString("description_en"),
        r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"), venue, r.getString("online_url"),
        r.getInteger("capacity"), r.getInteger("seats_taken"), r.getOffsetDateTime("registration_opens_at"),
        r.getOffsetDateTime("registration_closes_at"), EventStatus.parse(r.getString("status")), year,
        r.getString("organiser_name"), r.getString("organiser_email"), List.copyOf(sessions), r.getInteger("reminder_days"),
        r.getString("cancel_reason"), r.getLocalDate("rescheduled_to"), activity);
  }
}
