package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.hok.samla.followup.FeedbackService;
import se.hok.samla.mail.Outbox;
import se.hok.samla.tickets.TicketService;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Tokens;
import se.hok.samla.web.ValidationException;

/**
 * The rules of signing up: capacity, waiting list, duplicates, self-service and what organisers may do.
 * Seats are claimed with a conditional UPDATE inside the transaction that writes the registration and its
 * outbox rows, so two people can never take the last seat and a crash leaves all of it or none.
 * All SQL that writes registrations lives here; what organisers read to plan (needs, diet, tasks) is in
 * {@link EventNeeds}.
 */
public final class RegistrationService {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  private final Pool pool;
  private final Clock clock;

  public RegistrationService(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /** Who is signing up, seen from the rules: the public during the registration window, or an organiser any time. */
  public enum Source {
    WEB("web"), API("api"), ORGANISER("organiser"), WALK_IN("walk_in");

    final String code;

    Source(String code) {
      this.code = code;
    }

    boolean byStaff() {
      return this == ORGANISER || this == WALK_IN;
    }
  }

  public Future<List<Need>> needs() {
    return needs(pool);
  }

  private static Future<List<Need>> needs(io.vertx.sqlclient.SqlClient client) {
    return client.query("select code, label_sv, label_en, has_detail, lead_days from need where active order by sort_order, code")
        .execute()
        .map(rows -> {
          List<Need> out = new ArrayList<>();
          rows.forEach(r -> out.add(new Need(r.getString("code"), r.getString("label_sv"), r.getString("label_en"),
              r.getBoolean("has_detail"), r.getInteger("lead_days"))));
          return out;
        });
  }

  /** The whole catalogue, inactive entries too, for the admin page. */
  public Future<List<NeedEntry>> catalogue() {
    return pool.query("select code, label_sv, label_en, has_detail, lead_days, sort_order, active, at_door from need order by sort_order, code")
        .execute()
        .map(rows -> {
          List<NeedEntry> out = new ArrayList<>();
          rows.forEach(r -> out.add(new NeedEntry(r.getString("code"), r.getString("label_sv"), r.getString("label_en"),
              r.getBoolean("has_detail"), r.getInteger("lead_days"), r.getInteger("sort_order"), r.getBoolean("active"),
              r.getBoolean("at_door"))));
          return out;
        });
  }

  /**
   * A catalogue entry as admins edit it. Entries are deactivated, never deleted: old registrations refer to them.
   * atDoor: shown to door staff at check-in, as something to arrange when the person arrives.
   */
  public record NeedEntry(String code, String labelSv, String labelEn, boolean hasDetail, Integer leadDays,
                          int sortOrder, boolean active, boolean atDoor) {}

  /** Adds or changes a catalogue entry (by code). */
  public Future<Void> saveNeed(String code, String labelSv, String labelEn, boolean hasDetail, String leadDays,
                               String sortOrder, boolean active, boolean atDoor) {
    FieldChecks checks = new FieldChecks();
    String c = checks.text("code", code, true, 40);
    if (c != null && !c.matches("[a-z0-9_]{1,40}")) {
      checks.add("code", "error.need.code");
    }
    String sv = checks.text("labelSv", labelSv, true, 200);
    String en = checks.text("labelEn", labelEn, true, 200);
    Integer lead = checks.wholeNumber("leadDays", leadDays, false, 0, 365);
    Integer order = checks.wholeNumber("sortOrder", sortOrder, false, 0, 10_000);
    try {
      checks.throwIfAny();
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return pool.preparedQuery("""
            insert into need (code, label_sv, label_en, has_detail, lead_days, sort_order, active, at_door)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (code) do update set label_sv = excluded.label_sv, label_en = excluded.label_en,
              has_detail = excluded.has_detail, lead_days = excluded.lead_days, sort_order = excluded.sort_order,
              active = excluded.active, at_door = excluded.at_door""")
        .execute(Tuple.from(new Object[] {c, sv, en, hasDetail, lead, order == null ? 100 : order, active, atDoor}))
        .mapEmpty();
  }

  // ------------------------------------------------------------------------------------------------
  // Signing up
  // ------------------------------------------------------------------------------------------------

  public Future<RegistrationResult> register(long eventId, RegistrationInput input, String idempotencyKey, Source source) {
    return knownOrganisation(input)
        .map(i -> i.validate(new FieldChecks(), source != Source.WALK_IN))
        .compose(data -> pool.withTransaction(conn -> register(conn, eventId, data, idempotencyKey, source)))
        .compose(this::withPosition)
        .recover(e -> isUniqueViolation(e, "registration_idempotency")
            // Two identical requests raced past the idempotency check: the winner's result is the answer.
            ? byIdempotencyKey(eventId, idempotencyKey).compose(this::withPosition)
            : isUniqueViolation(e, "registration_one_per_email")
                ? Future.succeededFuture(new RegistrationResult(null, null, null, null, true, List.of()))
                : Future.failedFuture(e));
  }

  /**
   * The waiting-list place, read after commit and outside the event lock. It is exact: everyone ahead
   * committed before this one got the lock, and later arrivals are numbered after it.
   */
  private Future<RegistrationResult> withPosition(RegistrationResult r) {
    if (!"waitlisted".equals(r.status()) || r.waitlistPosition() != null) {
      return Future.succeededFuture(r);
    }
    return pool.preparedQuery("""
            select count(*) from registration w, registration me
            where me.id = $1 and w.event_id = me.event_id and w.status = 'waitlisted' and w.waitlist_seq <= me.waitlist_seq""")
        .execute(Tuple.of(r.id()))
        .map(rows -> new RegistrationResult(r.id(), r.status(), rows.iterator().next().getLong(0).intValue(),
            r.manageToken(), r.duplicate(), r.urgentNeeds()));
  }

  private Future<RegistrationResult> byIdempotencyKey(long eventId, String key) {
    return pool.withTransaction(conn -> existingByKey(conn, eventId, key))
        .map(found -> found.orElseThrow(() -> new IllegalStateException("idempotent registration vanished")));
  }

  private Future<java.util.Optional<RegistrationResult>> existingByKey(SqlConnection conn, long eventId, String key) {
    if (key == null) {
      return Future.succeededFuture(java.util.Optional.empty());
    }
    return conn.preparedQuery("select id, status, waitlist_seq from registration where event_id = $1 and idempotency_key = $2")
        .execute(Tuple.of(eventId, key))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(java.util.Optional.empty());
          }
          Row r = rows.iterator().next();
          UUID id = r.getUUID("id");
          // The original token is stored hashed; the replay gets a fresh manage link to the same registration.
          // The waiting-list place is added after commit, as for any sign-up (withPosition).
          return issueToken(conn, id).map(token ->
              java.util.Optional.of(new RegistrationResult(id, r.getString("status"), null, token, false, List.of())));
        });
  }

  private Future<RegistrationResult> register(SqlConnection conn, long eventId, RegistrationInput.Data d,
                                              String idempotencyKey, Source source) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return existingByKey(conn, eventId, idempotencyKey).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture(existing.get());
      }
      return eventForSignUp(conn, eventId, source, now)
          .compose(event -> checkChoices(conn, event, d).map(needs -> Map.entry(event, needs)))
          .compose(ctx -> organisation(conn, d).compose(orgId -> conn.preparedQuery("""
                  insert into registration (event_id, status, waitlist_seq, name, email, phone, organisation_id, role_title,
                    companion, diet, consent_at, language, source, idempotency_key)
                  values ($1, 'waitlisted', nextval('waitlist_seq'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                  on conflict (event_id, lower(email)) where status <> 'cancelled' do nothing
                  returning id""")
              .execute(Tuple.from(new Object[] {eventId, d.name(), d.email(), d.phone(), orgId, d.roleTitle(),
                  d.companion(), d.diet().toArray(String[]::new), d.consent() ? now : null, d.language(), source.code,
                  idempotencyKey})))
              .compose(rows -> {
                if (rows.size() == 0) {
                  return duplicate(conn, eventId, d.email(), idempotencyKey);
                }
                UUID id = rows.iterator().next().getUUID("id");
                EventFacts event = ctx.getKey();
                // Everything that does not need the seat happens before the claim, so the event row stays
                // locked only for the claim, the numbering and the commit.
                return saveChoices(conn, id, d)
                    .compose(v -> tasks(conn, event, id, ctx.getValue(), now))
                    .compose(urgent -> issueToken(conn, id)
                        .compose(token -> claim(conn, event, id, d.seats(), d.sessions())
                            .compose(confirmed -> numberAndAnnounce(conn, eventId, id, confirmed))
                            .map(status -> new RegistrationResult(id, status, null, token, false, urgent))));
              }));
    });
  }

  /**
   * The address is already registered: mail its manage link again, reveal nothing. Unless it is the same
   * request again (a retry that raced the first one): then the answer is the first one's.
   */
  private Future<RegistrationResult> duplicate(SqlConnection conn, long eventId, String email, String idempotencyKey) {
    return conn.preparedQuery("select id, idempotency_key from registration "
            + "where event_id = $1 and lower(email) = lower($2) and status <> 'cancelled'")
        .execute(Tuple.of(eventId, email))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new RegistrationResult(null, null, null, null, true, List.of()));
          }
          Row existing = rows.iterator().next();
          if (idempotencyKey != null && idempotencyKey.equals(existing.getString("idempotency_key"))) {
            return existingByKey(conn, eventId, idempotencyKey).map(java.util.Optional::orElseThrow);
          }
          return outbox(conn, "manage_link", eventId, existing.getUUID("id"))
              .map(v -> new RegistrationResult(null, null, null, null, true, List.of()));
        });
  }

  /**
   * Takes the seats if they are free and nobody is waiting ahead: the event's (one, two with a companion),
   * then each chosen session's. Every sign-up locks the event row here, so sign-ups for one event pass this
   * point one at a time and are numbered in that order; the lock is held only until commit.
   * A full event means the waiting list; a full session is the person's to choose again.
   *
   * <p>The lock is taken by a statement of its own, and the check runs in the next one: a statement sees what was
   * committed when it began, so a check in the locking statement itself would not see a sign-up that joined the
   * waiting list while this one waited for the lock (someone needing two seats, with one free), and would take the
   * seat from in front of them. Sent together (pipelined), the two statements still cost one round trip.
   */
  private Future<Boolean> claim(SqlConnection conn, EventFacts event, UUID id, int seats, List<Long> sessions) {
    Future<?> locked = conn.preparedQuery("select 1 from event where id = $1 for no key update").execute(Tuple.of(event.id()));
    Future<io.vertx.sqlclient.RowSet<Row>> claimed = conn.preparedQuery("""
            with e as (
              select id, capacity - seats_taken >= $3
                and not exists (select 1 from registration w where w.event_id = $1 and w.status = 'waitlisted' and w.id <> $2) as fits
              from event where id = $1),
            taken as (update event set seats_taken = seats_taken + $3 from e where event.id = e.id and e.fits returning 1)
            select exists (select 1 from taken) as claimed""")
        .execute(Tuple.of(event.id(), id, seats));
    return Future.all(locked, claimed)
        .compose(both -> claimed.result().iterator().next().getBoolean("claimed")
            ? claimSessions(conn, id, seats, sessions, true).map(true)
            : Future.succeededFuture(false));
  }

  /**
   * Numbers the registration in arrival order and writes its mail to the outbox, in one statement. Runs right
   * after the claim, while this transaction holds the event row's lock, so the numbers follow the order in which
   * sign-ups reached the seats. Returns the status.
   */
  private Future<String> numberAndAnnounce(SqlConnection conn, long eventId, UUID id, boolean confirmed) {
    return conn.preparedQuery("""
            with numbered as (
              update registration set waitlist_seq = nextval('waitlist_seq'),
                status = case when $3 then 'confirmed' else 'waitlisted' end,
                confirmed_at = case when $3 then now() else null end
              where id = $2 returning status),
            mail as (insert into outbox (kind, event_id, registration_id) select status, $1, $2 from numbered)
            select status from numbered""")
        .execute(Tuple.of(eventId, id, confirmed))
        .map(rows -> rows.iterator().next().getString("status"));
  }

  /** Claims each session seat; when {@code strict}, a full session is a field error (the whole change rolls back). */
  private Future<List<Long>> claimSessions(SqlConnection conn, UUID id, int seats, List<Long> sessions, boolean strict) {
    Future<List<Long>> chain = Future.succeededFuture(new ArrayList<>());
    for (Long session : sessions) {
      chain = chain.compose(full -> conn.preparedQuery(
              "update event_session set seats_taken = seats_taken + $2 where id = $1 and seats_taken + $2 <= capacity returning title_sv")
          .execute(Tuple.of(session, seats))
          .compose(rows -> {
            if (rows.rowCount() == 1) {
              return conn.preparedQuery("update registration_session set holds_seat = true where registration_id = $1 and session_id = $2")
                  .execute(Tuple.of(id, session)).map(full);
            }
            if (strict) {
              return Future.failedFuture(ValidationException.of("sessions", "error.reg.sessionFull"));
            }
            full.add(session);
            return Future.succeededFuture(full);
          }));
    }
    return chain;
  }

  // ------------------------------------------------------------------------------------------------
  // Self-service
  // ------------------------------------------------------------------------------------------------

  /** A registration by id, for work done later on its behalf (e.g. rendering its e-mail at send time). */
  public Future<Registration> byId(UUID id) {
    return pool.withConnection(conn -> load(conn, id));
  }

  public Future<Registration> byToken(String token) {
    return pool.withConnection(conn -> registrationIdByToken(conn, token).compose(id -> load(conn, id)));
  }

  /** Changes what the participant may change: needs, diet, sessions, companion, phone, role, language. */
  public Future<Registration> change(String token, RegistrationInput input) {
    return Future.succeededFuture(input).map(i -> i.validate(new FieldChecks()))
        .compose(d -> pool.withTransaction(conn -> registrationIdByToken(conn, token)
            .compose(id -> lock(conn, id))
            .compose(current -> {
              if (current.isCancelled()) {
                return Future.failedFuture(new ConflictException("registration_cancelled", Msg.of("error.reg.cancelled")));
              }
              return eventFacts(conn, current.eventId(), true)
                  .compose(event -> checkChoices(conn, event, d).compose(needs -> applyChange(conn, event, current, d, needs)))
                  .compose(v -> changesTicket(current, d) ? TicketService.revokeIn(conn, current.id()) : Future.<Void>succeededFuture())
                  .compose(v -> outbox(conn, "changed", current.eventId(), current.id()))
                  .compose(v -> load(conn, current.id()));
            })));
  }

  /**
   * Whether a change makes the ticket wrong at the door: other sessions, or a companion's seat added or dropped
   * (the ticket says whether a companion comes). Then the old ticket is revoked in the change's own transaction and
   * the "changed" e-mail brings the new one. Other changes (needs, diet, phone, role, language) leave the code as
   * true as it was; the "changed" e-mail replaces the ticket then too, as before.
   */
  static boolean changesTicket(Registration current, RegistrationInput.Data d) {
    return current.companion() != d.companion()
        || !new java.util.HashSet<>(current.sessions()).equals(new java.util.HashSet<>(d.sessions()));
  }

  private Future<Void> applyChange(SqlConnection conn, EventFacts event, Registration current, RegistrationInput.Data d,
                                   List<Need> needs) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    int seatDelta = d.seats() - current.seats();
    Future<Void> seats = Future.succeededFuture();
    if (current.isConfirmed()) {
      // Give back the old session seats, then take the new ones (same transaction: nobody sees the gap).
      seats = releaseSessions(conn, current.id(), current.seats())
          .compose(v -> seatDelta > 0
              ? conn.preparedQuery("update event set seats_taken = seats_taken + $2 where id = $1 and seats_taken + $2 <= capacity")
                  .execute(Tuple.of(event.id(), seatDelta))
                  .compose(r -> r.rowCount() == 1 ? Future.<Void>succeededFuture()
                      : Future.failedFuture(ValidationException.of("companion", "error.reg.noSeatForCompanion")))
              : seatDelta < 0
                  ? conn.preparedQuery("update event set seats_taken = seats_taken + $2 where id = $1").execute(Tuple.of(event.id(), seatDelta)).mapEmpty()
                  : Future.<Void>succeededFuture());
    }
    return seats
        .compose(v -> conn.preparedQuery("""
                update registration set phone = $2, role_title = $3, companion = $4, diet = $5, language = $6,
                  consent_at = case when $7 then coalesce(consent_at, now()) else null end, updated_at = now()
                where id = $1""")
            .execute(Tuple.from(new Object[] {current.id(), d.phone(), d.roleTitle(), d.companion(),
                d.diet().toArray(String[]::new), d.language(), d.consent()})))
        .compose(v -> conn.preparedQuery("delete from registration_need where registration_id = $1").execute(Tuple.of(current.id())))
        .compose(v -> conn.preparedQuery("delete from registration_session where registration_id = $1").execute(Tuple.of(current.id())))
        .compose(v -> saveChoices(conn, current.id(), d))
        .compose(v -> tasks(conn, event, current.id(), needs, now))
        .compose(v -> current.isConfirmed()
            ? claimSessions(conn, current.id(), d.seats(), d.sessions(), true).mapEmpty()
            : Future.succeededFuture())
        .compose(v -> seatDelta < 0 ? promote(conn, event.id()) : Future.succeededFuture());
  }

  public Future<Registration> cancelByToken(String token) {
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> cancel(conn, id, "cancelled"))
        .compose(id -> load(conn, id)));
  }

  /** Cancels (freeing the seat for the next in line) and removes the personal data; the anonymous facts stay. */
  public Future<Void> eraseByToken(String token) {
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> cancel(conn, id, null))
        .compose(id -> conn.preparedQuery("""
                update registration set name = 'Raderad', email = 'raderad+' || id || '@invalid', phone = null,
                  role_title = null, diet = '{}', consent_at = null, erased_at = now(), updated_at = now()
                where id = $1""").execute(Tuple.of(id))
            .compose(v -> conn.preparedQuery("delete from registration_need where registration_id = $1").execute(Tuple.of(id)))
            .compose(v -> conn.preparedQuery("delete from organiser_task where registration_id = $1").execute(Tuple.of(id)))
            .compose(v -> conn.preparedQuery("delete from outbox where registration_id = $1 and sent_at is null").execute(Tuple.of(id)))
            .compose(v -> conn.preparedQuery("delete from manage_token where registration_id = $1").execute(Tuple.of(id)))
            .compose(v -> FeedbackService.eraseComments(conn, List.of(id))))
        .mapEmpty());
  }

  // ------------------------------------------------------------------------------------------------
  // Organisers
  // ------------------------------------------------------------------------------------------------

  /** Everyone registered for an event, confirmed first, then the waiting list in order. Logged: it shows needs. */
  public Future<List<Registration>> list(long eventId, long staffId) {
    return pool.withTransaction(conn -> conn.preparedQuery("insert into audit_log (staff_user_id, action, event_id) values ($1, 'read_registrations', $2)")
        .execute(Tuple.of(staffId, eventId))
        .compose(v -> conn.preparedQuery("""
                select id from registration where event_id = $1
                order by case status when 'confirmed' then 0 when 'waitlisted' then 1 else 2 end, waitlist_seq, created_at""")
            .execute(Tuple.of(eventId)))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          return loadAll(conn, ids);
        }));
  }

  /** An organiser removes a registration: the seat frees and the next in line moves up. */
  public Future<Void> remove(long eventId, UUID id) {
    return pool.withTransaction(conn -> belongs(conn, eventId, id).compose(v -> cancel(conn, id, "cancelled")).mapEmpty());
  }

  /** An organiser moves one waitlisted person up out of turn, if a seat is free. */
  public Future<Void> promoteOne(long eventId, UUID id) {
    return pool.withTransaction(conn -> belongs(conn, eventId, id)
        .compose(v -> lock(conn, id))
        .compose(r -> {
          if (!r.isWaitlisted()) {
            return Future.failedFuture(new ConflictException("not_waitlisted", Msg.of("error.reg.notWaitlisted")));
          }
          return confirmFromWaitlist(conn, eventId, r).compose(ok -> ok ? Future.<Void>succeededFuture()
              : Future.failedFuture(new ConflictException("no_seats", Msg.of("error.reg.noSeats"))));
        }));
  }

  // ------------------------------------------------------------------------------------------------
  // Shared steps
  // ------------------------------------------------------------------------------------------------

  record EventFacts(long id, String status, OffsetDateTime startsAt, OffsetDateTime endsAt, OffsetDateTime opensAt,
                    OffsetDateTime closesAt, Map<Long, OffsetDateTime> sessionSlots) {}

  private Future<EventFacts> eventForSignUp(SqlConnection conn, long eventId, Source source, OffsetDateTime now) {
    return eventFacts(conn, eventId, false).map(e -> {
      if (!"published".equals(e.status())) {
        throw "cancelled".equals(e.status())
            ? new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled"))
            : new NotFoundException("event " + eventId);
      }
      if (!source.byStaff()) {
        if (e.opensAt() != null && now.isBefore(e.opensAt())) {
          throw new ConflictException("registration_not_open", Msg.of("error.reg.notOpen"));
        }
        OffsetDateTime closes = e.closesAt() != null ? e.closesAt() : e.startsAt();
        if (!now.isBefore(closes)) {
          throw new ConflictException("registration_closed", Msg.of("error.reg.closed"));
        }
      } else if (!now.isBefore(e.endsAt())) {
        throw new ConflictException("event_over", Msg.of("error.reg.eventOver"));
      }
      return e;
    });
  }

  private Future<EventFacts> eventFacts(SqlConnection conn, long eventId, boolean forChange) {
    return conn.preparedQuery("select id, status, starts_at, ends_at, registration_opens_at, registration_closes_at from event where id = $1")
        .execute(Tuple.of(eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("event " + eventId));
          }
          Row e = rows.iterator().next();
          return conn.preparedQuery("select id, starts_at from event_session where event_id = $1").execute(Tuple.of(eventId))
              .map(sessions -> {
                Map<Long, OffsetDateTime> slots = new HashMap<>();
                sessions.forEach(s -> slots.put(s.getLong("id"), s.getOffsetDateTime("starts_at")));
                return new EventFacts(e.getLong("id"), e.getString("status"), e.getOffsetDateTime("starts_at"),
                    e.getOffsetDateTime("ends_at"), e.getOffsetDateTime("registration_opens_at"),
                    e.getOffsetDateTime("registration_closes_at"), slots);
              });
        });
  }

  /** Needs must be in the catalogue, sessions in this event, one per time slot. Returns the chosen needs. */
  private Future<List<Need>> checkChoices(SqlConnection conn, EventFacts event, RegistrationInput.Data d) {
    FieldChecks checks = new FieldChecks();
    Map<OffsetDateTime, Long> perSlot = new HashMap<>();
    for (Long s : d.sessions()) {
      OffsetDateTime slot = event.sessionSlots().get(s);
      if (slot == null) {
        checks.add("sessions", "error.reg.sessionUnknown");
      } else if (perSlot.put(slot.toInstant().atOffset(java.time.ZoneOffset.UTC), s) != null) {
        checks.add("sessions", "error.reg.twoInSlot");
      }
    }
    // The transaction's own connection: asking the pool for a second one while holding the first
    // starves the pool under load (every connection waiting for another).
    return needs(conn).map(catalogue -> {
      Map<String, Need> byCode = new HashMap<>();
      catalogue.forEach(n -> byCode.put(n.code(), n));
      List<Need> chosen = new ArrayList<>();
      d.needs().keySet().forEach(code -> {
        Need n = byCode.get(code);
        if (n == null) {
          checks.add("needs", "error.reg.needUnknown", code);
        } else {
          chosen.add(n);
        }
      });
      checks.throwIfAny();
      return chosen;
    });
  }

  /** A typed organisation name that is already known (in any letter case) becomes that organisation's id. */
  private Future<RegistrationInput> knownOrganisation(RegistrationInput input) {
    String typed = RegistrationInput.blankToNull(input.organisationName());
    if (typed == null || RegistrationInput.blankToNull(input.organisationId()) != null || typed.length() > 200) {
      return Future.succeededFuture(input);
    }
    return pool.preparedQuery("select id from organisation where lower(name) = lower($1)").execute(Tuple.of(typed))
        .map(rows -> rows.size() == 1 ? input.withOrganisationId(rows.iterator().next().getLong("id")) : input);
  }

  /**
   * The organisation chosen from the list, or typed in: an organisation already known by that name (in any
   * letter case) is used as it is; a new one needs its sector.
   */
  private Future<Long> organisation(SqlConnection conn, RegistrationInput.Data d) {
    if (d.organisationId() != null) {
      return conn.preparedQuery("select id from organisation where id = $1").execute(Tuple.of(d.organisationId()))
          .compose(rows -> rows.size() == 1 ? Future.succeededFuture(d.organisationId())
              : Future.failedFuture(ValidationException.of("organisationId", "error.reg.organisationUnknown")));
    }
    if (d.organisationName() == null) {
      return Future.succeededFuture(null);
    }
    return conn.preparedQuery("select id from organisation where lower(name) = lower($1)").execute(Tuple.of(d.organisationName()))
        .compose(found -> {
          if (found.size() == 1) {
            return Future.succeededFuture(found.iterator().next().getLong("id"));
          }
          if (d.sector() == null) {
            return Future.failedFuture(ValidationException.of("sector", "error.reg.sectorRequired"));
          }
          return conn.preparedQuery("insert into organisation (name, sector) values ($1, $2) on conflict do nothing returning id")
              .execute(Tuple.of(d.organisationName(), d.sector()))
              .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getLong("id"))
                  : conn.preparedQuery("select id from organisation where lower(name) = lower($1)").execute(Tuple.of(d.organisationName()))
                      .map(again -> again.iterator().next().getLong("id")));
        });
  }

  private Future<Void> saveChoices(SqlConnection conn, UUID id, RegistrationInput.Data d) {
    Future<Void> needs = d.needs().isEmpty() ? Future.succeededFuture() : conn
        .preparedQuery("insert into registration_need (registration_id, need_code, detail) "
            + "select $1, $2, case when has_detail then $3 else null end from need where code = $2")
        .executeBatch(d.needs().entrySet().stream().map(e -> Tuple.of(id, e.getKey(), e.getValue())).toList())
        .mapEmpty();
    return needs.compose(v -> d.sessions().isEmpty() ? Future.succeededFuture() : conn
        .preparedQuery("insert into registration_session (registration_id, session_id) values ($1, $2)")
        .executeBatch(d.sessions().stream().map(s -> Tuple.of(id, s)).toList())
        .mapEmpty());
  }

  /**
   * Keeps the organiser tasks in step with the needs that have a lead time: tasks for needs no longer stated
   * go (unless done), new needs get a task and one alert to the organiser; needs already known are not alerted
   * again. Returns the codes of new needs that arrived too late (urgent).
   */
  private Future<List<String>> tasks(SqlConnection conn, EventFacts event, UUID id, List<Need> needs, OffsetDateTime now) {
    LocalDate eventDay = event.startsAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
    LocalDate today = now.atZoneSameInstant(STOCKHOLM).toLocalDate();
    List<String> withLead = needs.stream().filter(n -> n.leadDays() != null).map(Need::code).toList();
    return conn.preparedQuery("delete from organiser_task where registration_id = $1 and done_at is null and not (need_code = any($2))")
        .execute(Tuple.tuple().addUUID(id).addArrayOfString(withLead.toArray(String[]::new)))
        .compose(v -> conn.preparedQuery("select need_code from organiser_task where registration_id = $1").execute(Tuple.of(id)))
        .compose(existing -> {
          java.util.Set<String> known = new java.util.HashSet<>();
          existing.forEach(r -> known.add(r.getString(0)));
          List<Tuple> rows = new ArrayList<>();
          List<String> urgent = new ArrayList<>();
          JsonArray alert = new JsonArray();
          for (Need n : needs) {
            if (n.leadDays() != null && !known.contains(n.code())) {
              LocalDate bookBy = eventDay.minusDays(n.leadDays());
              boolean late = today.isAfter(bookBy);
              if (late) {
                urgent.add(n.code());
              }
              rows.add(Tuple.of(event.id(), id, n.code(), bookBy, late));
              alert.add(n.code());
            }
          }
          if (rows.isEmpty()) {
            return Future.succeededFuture(urgent);
          }
          return conn.preparedQuery("insert into organiser_task (event_id, registration_id, need_code, book_by, urgent) "
                  + "values ($1, $2, $3, $4, $5) on conflict (registration_id, need_code) do nothing")
              .executeBatch(rows)
              .compose(v -> outbox(conn, "organiser_alert", event.id(), id, new JsonObject().put("needs", alert)))
              .map(urgent);
        });
  }

  /** Cancels a live registration; returns its id. Frees its seats and promotes the waiting list. */
  private Future<UUID> cancel(SqlConnection conn, UUID id, String mailKind) {
    return lock(conn, id).compose(r -> {
      if (r.isCancelled()) {
        return Future.succeededFuture(id);
      }
      Future<Void> release = r.isConfirmed()
          ? conn.preparedQuery("update event set seats_taken = seats_taken - $2 where id = $1").execute(Tuple.of(r.eventId(), r.seats()))
              .compose(v -> releaseSessions(conn, id, r.seats()))
          : Future.succeededFuture();
      return release
          .compose(v -> conn.preparedQuery("update registration set status = 'cancelled', waitlist_seq = null, cancelled_at = now(), "
              + "updated_at = now() where id = $1").execute(Tuple.of(id)))
          .compose(v -> mailKind == null ? Future.succeededFuture() : outbox(conn, mailKind, r.eventId(), id))
          .compose(v -> r.isConfirmed() ? promote(conn, r.eventId()) : Future.succeededFuture())
          .map(id);
    });
  }

  private Future<Void> releaseSessions(SqlConnection conn, UUID id, int seats) {
    return conn.preparedQuery("""
            update event_session s set seats_taken = s.seats_taken - $2
            from registration_session rs where rs.session_id = s.id and rs.registration_id = $1 and rs.holds_seat""")
        .execute(Tuple.of(id, seats))
        .compose(v -> conn.preparedQuery("update registration_session set holds_seat = false where registration_id = $1").execute(Tuple.of(id)))
        .mapEmpty();
  }

  /** Moves people up from the waiting list, strictly in order, while the next in line fits. */
  private Future<Void> promote(SqlConnection conn, long eventId) {
    return conn.preparedQuery("""
            select id from registration where event_id = $1 and status = 'waitlisted'
            order by waitlist_seq limit 1 for update""")
        .execute(Tuple.of(eventId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture();
          }
          return load(conn, rows.iterator().next().getUUID("id"))
              .compose(next -> confirmFromWaitlist(conn, eventId, next))
              .compose(promoted -> promoted ? promote(conn, eventId) : Future.succeededFuture());
        });
  }

  /** Confirms a waitlisted registration if its seats fit; sessions that are full by now are dropped from its choices. */
  private Future<Boolean> confirmFromWaitlist(SqlConnection conn, long eventId, Registration r) {
    return conn.preparedQuery("update event set seats_taken = seats_taken + $2 where id = $1 and seats_taken + $2 <= capacity")
        .execute(Tuple.of(eventId, r.seats()))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          return claimSessions(conn, r.id(), r.seats(), r.sessions(), false)
              .compose(full -> (full.isEmpty() ? Future.<Void>succeededFuture() : conn
                  .preparedQuery("delete from registration_session where registration_id = $1 and session_id = any($2)")
                  .execute(Tuple.tuple().addUUID(r.id()).addArrayOfLong(full.toArray(Long[]::new))).<Void>mapEmpty())
                  .compose(v -> conn.preparedQuery("update registration set status = 'confirmed', "
                      + "confirmed_at = now(), updated_at = now() where id = $1").execute(Tuple.of(r.id())))
                  .compose(v -> outbox(conn, "promoted", eventId, r.id(),
                      new JsonObject().put("droppedSessions", new JsonArray(new ArrayList<>(full))))))
              .map(true);
        });
  }

  private Future<Void> belongs(SqlConnection conn, long eventId, UUID id) {
    return conn.preparedQuery("select 1 from registration where id = $1 and event_id = $2").execute(Tuple.of(id, eventId))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(new NotFoundException("registration")));
  }

  private Future<Registration> lock(SqlConnection conn, UUID id) {
    return conn.preparedQuery("select id from registration where id = $1 for update").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFoundException("registration")) : load(conn, id));
  }

  private Future<UUID> registrationIdByToken(SqlConnection conn, String token) {
    if (token == null || token.length() > 100) {
      return Future.failedFuture(new NotFoundException("registration"));
    }
    return conn.preparedQuery("select registration_id from manage_token where token_hash = $1")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token))))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFoundException("registration"))
            : Future.succeededFuture(rows.iterator().next().getUUID("registration_id")));
  }

  private Future<String> issueToken(SqlConnection conn, UUID id) {
    String token = newToken();
    return conn.preparedQuery("insert into manage_token (token_hash, registration_id) values ($1, $2)")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), id))
        .map(token);
  }

  /** A new manage link for a registration, e.g. for an e-mail rendered later. */
  public Future<String> issueToken(UUID id) {
    return pool.withConnection(conn -> issueToken(conn, id));
  }

  private Future<Void> outbox(SqlConnection conn, String kind, long eventId, UUID id) {
    return outbox(conn, kind, eventId, id, new JsonObject());
  }

  private Future<Void> outbox(SqlConnection conn, String kind, long eventId, UUID id, JsonObject payload) {
    return Outbox.add(conn, kind, eventId, id, payload);
  }

  private Future<Registration> load(SqlConnection conn, UUID id) {
    return loadAll(conn, List.of(id)).compose(list -> list.isEmpty()
        ? Future.failedFuture(new NotFoundException("registration")) : Future.succeededFuture(list.get(0)));
  }

  private Future<List<Registration>> loadAll(SqlConnection conn, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] array = ids.toArray(UUID[]::new);
    return conn.preparedQuery("""
            select r.*, o.name as org_name, o.sector,
              (select count(*) from registration w where w.event_id = r.event_id and w.status = 'waitlisted'
                 and w.waitlist_seq <= r.waitlist_seq) as position
            from registration r left join organisation o on o.id = r.organisation_id
            where r.id = any($1)""")
        .execute(Tuple.of(array))
        .compose(rows -> conn.preparedQuery("select registration_id, need_code, detail from registration_need where registration_id = any($1) order by need_code")
            .execute(Tuple.of(array))
            .compose(needRows -> conn.preparedQuery("select registration_id, session_id from registration_session where registration_id = any($1) order by session_id")
                .execute(Tuple.of(array))
                .map(sessionRows -> {
                  Map<UUID, List<Registration.NeedChoice>> needs = new HashMap<>();
                  needRows.forEach(n -> needs.computeIfAbsent(n.getUUID("registration_id"), k -> new ArrayList<>())
                      .add(new Registration.NeedChoice(n.getString("need_code"), n.getString("detail"))));
                  Map<UUID, List<Long>> sessions = new HashMap<>();
                  sessionRows.forEach(s -> sessions.computeIfAbsent(s.getUUID("registration_id"), k -> new ArrayList<>())
                      .add(s.getLong("session_id")));
                  Map<UUID, Registration> byId = new HashMap<>();
                  rows.forEach(r -> {
                    UUID rid = r.getUUID("id");
                    String status = r.getString("status");
                    byId.put(rid, new Registration(rid, r.getLong("event_id"), status,
                        "waitlisted".equals(status) ? r.getLong("position").intValue() : null,
                        r.getString("name"), r.getString("email"), r.getString("phone"), r.getLong("organisation_id"),
                        r.getString("org_name"), r.getString("sector"), r.getString("role_title"), r.getBoolean("companion"),
                        List.of(r.getArrayOfStrings("diet")), r.getString("language"),
                        List.copyOf(needs.getOrDefault(rid, List.of())), List.copyOf(sessions.getOrDefault(rid, List.of())),
                        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("erased_at") != null));
                  });
                  List<Registration> out = new ArrayList<>();
                  ids.forEach(i -> {
                    if (byId.containsKey(i)) {
                      out.add(byId.get(i));
                    }
                  });
                  return out;
                })));
  }

  /** 192 bits: a manage link cannot be guessed. */
  static String newToken() {
    return Tokens.random(24);
  }

  private static boolean isUniqueViolation(Throwable e, String constraint) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState())
        && pg.getConstraint() != null && pg.getConstraint().equals(constraint);
  }
}
