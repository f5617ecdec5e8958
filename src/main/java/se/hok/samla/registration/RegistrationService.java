package se.hok.samla.registration;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
import se.hok.samla.tickets.TicketService;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Tokens;
import se.hok.samla.web.ValidationException;

/**
 * The rules of signing up: capacity, waiting list, duplicates, self-service and what organisers may do.
 * Sign-ups are claimed in batches ({@link SignUpQueue}, {@code Batch}), of one event or several: one transaction writes
 * the registrations and their outbox rows and claims their seats under one lock of each event's row, in arrival order,
 * so two people can never take the last seat and a crash leaves each sign-up whole or absent.
 * All SQL that writes registrations lives here; what organisers read to plan (needs, diet, tasks) is in
 * {@link EventNeeds}.
 */
public final class RegistrationService {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  /** The most sign-ups claimed in one transaction (of one event or several). */
  static final int MAX_BATCH = 256;

  private final Pool pool;
  private final RegistrationMails mails;
  private final Clock clock;
  /**
   * Batches in flight at once (per instance, all events): the next writes its rows while one holds the locks. In a
   * rush, sign-ups use at most these two of the pool's connections, and one more for a sign-up only to be answered
   * ({@link Effect#ANSWER_ONLY}, in a lane of its own in {@link SignUpQueue}); the rest of the pool stays free for
   * everything else. A batch that has to run again after it held the locks (a chosen session full) runs after the
   * next batch has claimed: only then can a later arrival be numbered before an earlier one.
   */
  static final int BATCHES_IN_FLIGHT = 2;

  private final SignUpQueue<SignUp, RegistrationResult> queue = new SignUpQueue<>(MAX_BATCH, BATCHES_IN_FLIGHT,
      SignUp::conflicts, s -> s.effect() == Effect.ANSWER_ONLY, this::claimBatch);

  public RegistrationService(Pool pool, Clock clock, RegistrationMails mails) {
    this.pool = pool;
    this.mails = mails;
    this.clock = clock;
  }

  /** Who is signing up, seen from the rules: the public during the registration window, or an organiser any time. */
  public enum Source {
    WEB("web"), API("api"), ORGANISER("organiser"), WALK_IN("walk_in"),
    /**
     * A walk-in let in beyond capacity by door staff ("Släpp in ändå"), against seats held by no-shows: confirmed
     * without a seat (see Registration#seats), so nobody's seat is taken and nobody on the waiting list moves up.
     */
    WALK_IN_OVER_CAPACITY("walk_in");

    final String code;

    Source(String code) {
      this.code = code;
    }

    boolean byStaff() {
      return this == ORGANISER || atTheDoor();
    }

    boolean atTheDoor() {
      return this == WALK_IN || this == WALK_IN_OVER_CAPACITY;
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
    FieldChecks checks = FieldChecks.forForm("need");
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

  /**
   * Signs someone up. The public ({@link Source#WEB}, {@link Source#API}) always gets {@link RegistrationResult#NEUTRAL}:
   * a new address is registered (its ticket or waiting-list e-mail brings the manage link), an address already
   * registered gets its manage link e-mailed again (at most once per {@link #LINK_RESEND_INTERVAL}), and the answer is
   * the same. A second sign-up is refused exactly where a new one would be (closed, unknown session, full session …),
   * so the refusals say nothing either. Staff ({@link Source#byStaff}) get the registration, or
   * {@link RegistrationResult#DUPLICATE} with nothing changed and nothing mailed.
   *
   * <p>{@code idempotencyKey}: a retry marker. The first request under a key stores the key with the request's
   * fingerprint ({@link RegistrationInput#fingerprint}); a replay with the same fingerprint answers as the first did
   * (the public: neutrally; staff: the same registration, as it is now) and changes nothing; another request under the
   * same key is refused (409) and changes nothing. Two identical requests racing make one registration: the second
   * waits on the key's primary key until the first commits, then replays it.
   */
  public Future<RegistrationResult> register(long eventId, RegistrationInput input, String idempotencyKey, Source source) {
    return register(eventId, input, idempotencyKey, source, Effect.KEEP);
  }

  /**
   * What becomes of a public sign-up once it is answered. {@link #ANSWER_ONLY} is for an e-mail address signed up
   * more often than its limits allow (see {@code SignUpLimits}): the sign-up runs exactly as a kept one – the same
   * checks, the same refusals, the same answer – in a transaction that is then rolled back, so nothing is written
   * and nothing is mailed, and a stranger who keeps signing someone's address up cannot tell from the answer that it
   * was signed up before.
   */
  public enum Effect { KEEP, ANSWER_ONLY }

  /** {@link #register(long, RegistrationInput, String, Source)}, kept or only answered; staff sign-ups are always kept. */
  public Future<RegistrationResult> register(long eventId, RegistrationInput input, String idempotencyKey, Source source,
                                             Effect effect) {
    if (effect == Effect.ANSWER_ONLY && source.byStaff()) {
      return Future.failedFuture(new IllegalArgumentException("Staff sign-ups are answered with what they did: they are kept"));
    }
    byte[] fingerprint = idempotencyKey == null ? null : input.fingerprint(eventId, source.code);
    return knownOrganisation(input)
        .map(i -> i.validate(FieldChecks.forForm("reg"), !source.atTheDoor()))
        .compose(data -> queue.submit(new SignUp(eventId, data, idempotencyKey, fingerprint, source, effect)))
        .compose(r -> source.byStaff() ? withPosition(r) : Future.succeededFuture(RegistrationResult.NEUTRAL))
        .recover(e -> e instanceof AlreadyRegistered ? Future.succeededFuture(RegistrationResult.DUPLICATE)
            : Future.failedFuture(e));
  }

  /** One sign-up in line for the next batch (see {@link SignUpQueue}). */
  record SignUp(long eventId, RegistrationInput.Data data, String key, byte[] fingerprint, Source source, Effect effect) {
    /**
     * Who may not share a batch with it, nor be in flight with it: a sign-up for the same event under the same key or
     * of the same address, or typing the same new organisation (their rows would wait for each other's).
     */
    List<Object> conflicts() {
      List<Object> out = new ArrayList<>(3);
      if (key != null) {
        out.add("key:" + eventId + ":" + key);
      }
      if (data.email() != null) {
        out.add("email:" + eventId + ":" + data.email().toLowerCase(java.util.Locale.ROOT));
      }
      if (data.organisationId() == null && data.organisationName() != null) {
        out.add("organisation:" + data.organisationName().toLowerCase(java.util.Locale.ROOT));
      }
      return out;
    }
  }

  /** The most sign-ups one batch has carried so far (tests and benchmarks). */
  int largestBatch() {
    return queue.largestBatch();
  }

  /** A sign-up only to be answered ({@link Effect#ANSWER_ONLY}) went through: rolls its transaction back. */
  private static final class AnsweredOnly extends RuntimeException {
    final List<SignUpQueue.Answer<RegistrationResult>> answers;

    AnsweredOnly(List<SignUpQueue.Answer<RegistrationResult>> answers) {
      super("answered only", null, false, false);
      this.answers = answers;
    }
  }

  /** An address already registered, when staff sign it up: nothing changes, nothing is mailed. */
  private static final class AlreadyRegistered extends RuntimeException {
    AlreadyRegistered() {
      super("already registered", null, false, false);
    }
  }

  /**
   * Some sign-ups of a batch failed after their rows were written (a chosen session full at the claim, an address
   * registered meanwhile): the batch's transaction is rolled back and the batch runs again without them, so that
   * nothing of theirs is kept. Also thrown, with nobody left out, when an Idempotency-Key was taken by another
   * request while the batch ran: the next run finds that request and replays it.
   */
  private static final class RunAgain extends RuntimeException {
    final Map<Integer, Throwable> leftOut;

    RunAgain(Map<Integer, Throwable> leftOut) {
      super("run the batch again", null, false, false);
      this.leftOut = leftOut;
    }
  }

  /**
   * Whether anyone is on the waiting list of an event (an SQL expression over its id), leaving out the registrations
   * {@code except} names (a condition on {@code w}, or null): the one home of "anyone waiting?", which keeps a free seat
   * from being taken from in front of them. Asked as "who is first in line" (by place, LIMIT 1, in a scalar subquery
   * that keeps both) so that the plan can only be a probe of {@code registration_event_status}. As an EXISTS or a bare
   * LIMIT 1, PostgreSQL may scan the whole table, hoping to meet a waiting row early, whenever its statistics say many
   * are waiting: they do after an ANALYZE in a rush, when batches hold rows that are 'waitlisted' until numbered, and
   * then a batch of the rush read the whole table once per event – 0.5 s a batch, the benchmark's runs that fell to
   * 100 sign-ups/s (docs/benchmarks.md, session 5).
   */
  public static String anyoneWaiting(String event, String except) {
    // In parentheses: a text block drops the space of a line ending "and not ", so the expression must not need one.
    return "(coalesce((select true from registration w where w.event_id = " + event + " and w.status = 'waitlisted'"
        + (except == null ? "" : " and " + except) + " order by w.waitlist_seq limit 1), false))";
  }

  /**
   * Seats held by people who have not come (confirmed, holding a seat, not checked in to the event), less those already
   * let to walk-ins beyond capacity ("Släpp in ändå"): each no-show's seat is let to one person at most. An SQL
   * expression over the event {@code e}. Read after the event row is locked when a walk-in is let in (see
   * {@code Batch#claimSeats}), so that two door devices pressing at the same instant cannot both take the last one.
   */
  public static final String NO_SHOW_SEATS = """
      ((select coalesce(sum(case when r.companion then 2 else 1 end), 0) from registration r
         where r.event_id = e.id and r.status = 'confirmed' and not r.over_capacity
           and not exists (select 1 from checkin c where c.registration_id = r.id and c.session_id is null
                             and c.undone_at is null))
       - (select coalesce(sum(case when r.companion then 2 else 1 end), 0) from registration r
         where r.event_id = e.id and r.status = 'confirmed' and r.over_capacity))""";

  /** How often a batch runs (after {@link RunAgain} or a deadlock) before it gives up. */
  private static final int RUNS_PER_BATCH = 3;

  /**
   * Claims a batch of sign-ups, of one event or several, in one transaction ({@link Batch}). If the database refuses
   * the batch (one sign-up's data violates a constraint), its two halves are claimed apart, the first before the
   * second, and so on down to the sign-up that is refused alone: one bad sign-up cannot fail its batch-mates, of its
   * own event or another, and costs a batch of n about 2·log2(n) more transactions, not n. Any other failure (the
   * database unreachable) fails them all at once.
   */
  private Future<List<SignUpQueue.Answer<RegistrationResult>>> claimBatch(List<SignUp> batch,
                                                                          io.vertx.core.Promise<Void> locked) {
    return claimBatch(batch, locked, 1).recover(e -> {
      if (batch.size() == 1 || !refused(e)) {
        return Future.failedFuture(e);
      }
      int half = (batch.size() + 1) / 2;
      return claimPart(batch.subList(0, half), locked)
          .compose(first -> claimPart(batch.subList(half, batch.size()), locked).map(second -> {
            List<SignUpQueue.Answer<RegistrationResult>> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
          }));
    });
  }

  /** One part of a refused batch: its failure is its own sign-ups', the other part's are kept. */
  private Future<List<SignUpQueue.Answer<RegistrationResult>>> claimPart(List<SignUp> part,
                                                                         io.vertx.core.Promise<Void> locked) {
    return claimBatch(part, locked).otherwise(e -> java.util.Collections.nCopies(part.size(), SignUpQueue.Answer.failed(e)));
  }

  private Future<List<SignUpQueue.Answer<RegistrationResult>>> claimBatch(List<SignUp> batch,
                                                                          io.vertx.core.Promise<Void> locked, int run) {
    boolean answerOnly = batch.size() == 1 && batch.get(0).effect() == Effect.ANSWER_ONLY;
    return pool.withTransaction(conn -> new Batch(conn, batch, locked).claim()
            .compose(answers -> answerOnly ? Future.failedFuture(new AnsweredOnly(answers)) : Future.succeededFuture(answers)))
        .recover(e -> {
          if (e instanceof AnsweredOnly a) {
            return Future.succeededFuture(a.answers);
          }
          if (collided(e) && run < RUNS_PER_BATCH) {
            // A deadlock with another transaction of an event (a change of sessions takes their rows, then the
            // event's): PostgreSQL cancelled this one, which did nothing; run it again.
            return claimBatch(batch, locked, run + 1);
          }
          if (!(e instanceof RunAgain again)) {
            return Future.failedFuture(e);
          }
          if (run >= RUNS_PER_BATCH) {
            return Future.failedFuture(new IllegalStateException("batch ran " + run + " times", e));
          }
          List<SignUp> rest = new ArrayList<>();
          List<Integer> restAt = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            if (!again.leftOut.containsKey(i)) {
              rest.add(batch.get(i));
              restAt.add(i);
            }
          }
          Future<List<SignUpQueue.Answer<RegistrationResult>>> others = rest.isEmpty()
              ? Future.succeededFuture(List.of()) : claimBatch(rest, locked, run + 1);
          return others.map(answered -> {
            List<SignUpQueue.Answer<RegistrationResult>> all = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
              all.add(null);
            }
            again.leftOut.forEach((i, failure) -> all.set(i, SignUpQueue.Answer.failed(failure)));
            for (int j = 0; j < restAt.size(); j++) {
              all.set(restAt.get(j), answered.get(j));
            }
            return all;
          });
        });
  }

  /** PostgreSQL cancelled the transaction to break a deadlock or a serialisation conflict: SQLSTATE 40P01, 40001. */
  private static boolean collided(Throwable e) {
    return e instanceof io.vertx.pgclient.PgException pg
        && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()));
  }

  /** The database refused what a statement would write (a constraint, a value it cannot store): SQLSTATE 22 or 23. */
  private static boolean refused(Throwable e) {
    Throwable cause = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
        && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
  }

  /**
   * One batch of sign-ups, of one event or several, in one transaction, in the order they arrived. Each step is one
   * statement for the whole batch, whatever its events (the event is a column of the rows sent). Everything that does
   * not need the seats is done first: the events, their sessions, the needs catalogue and the Idempotency-Keys read in
   * one round trip; the keys taken and the registrations inserted in one statement each; their needs, sessions,
   * organiser tasks in one statement each. Then the rows of the batch's events are locked, each once, by one statement
   * in the order of their ids (so two batches sharing events never wait for each other in a circle), every event's free
   * seats are read at once and counted out event by event in arrival order (a seat if one is free and nobody is
   * waiting ahead, else the waiting list; a chosen session that is full is that person's own error), and the claims,
   * the numbering and the outbox rows are written in one round trip before commit. The locks are held for that round
   * trip and the commit.
   *
   * <p>Sign-ups refused before anything of theirs is written (a replayed key, a closed event, an unknown need) are
   * answered and left out. One refused after its rows are written makes the batch {@link RunAgain} without it.
   */
  private final class Batch {
    private final SqlConnection conn;
    private final List<SignUp> items;
    private final OffsetDateTime now = OffsetDateTime.now(clock);
    private final List<SignUpQueue.Answer<RegistrationResult>> answers;
    private final UUID[] ids;
    private final Long[] organisations;
    private final List<Need>[] needs;
    private final List<String>[] urgent;
    private final boolean[] going;
    private final io.vertx.core.Promise<Void> locked;
    /** The batch's events as read at its start, by id (an event not there does not exist). */
    private final Map<Long, EventFacts> events = new HashMap<>();

    /** An Idempotency-Key is one event's. */
    private record EventKey(long eventId, String key) {}

    @SuppressWarnings("unchecked")
    Batch(SqlConnection conn, List<SignUp> items, io.vertx.core.Promise<Void> locked) {
      this.conn = conn;
      this.locked = locked;
      this.items = items;
      int n = items.size();
      this.answers = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        answers.add(null);
      }
      this.ids = new UUID[n];
      this.organisations = new Long[n];
      this.needs = new List[n];
      this.urgent = new List[n];
      this.going = new boolean[n];
    }

    Future<List<SignUpQueue.Answer<RegistrationResult>>> claim() {
      Long[] eventIds = items.stream().map(SignUp::eventId).distinct().toArray(Long[]::new);
      List<SignUp> keyed = items.stream().filter(s -> s.key() != null).toList();
      Long[] chosenOrganisations = items.stream().map(s -> s.data().organisationId()).filter(java.util.Objects::nonNull)
          .toArray(Long[]::new);
      // Sent together: one round trip.
      Future<RowSet<Row>> event = conn.preparedQuery("""
              select id, status, starts_at, ends_at, registration_opens_at, registration_closes_at from event
              where id = any($1)""")
          .execute(Tuple.tuple().addArrayOfLong(eventIds));
      Future<RowSet<Row>> sessions = conn.preparedQuery("select id, event_id, starts_at from event_session where event_id = any($1)")
          .execute(Tuple.tuple().addArrayOfLong(eventIds));
      Future<List<Need>> catalogue = needs(conn);
      Future<RowSet<Row>> known = keyed.isEmpty() ? Future.succeededFuture(null) : conn.preparedQuery("""
              select r.event_id, r.idempotency_key, r.fingerprint, r.registration_id
              from registration_request r join unnest($1::bigint[], $2::text[]) as t(e, k)
                on r.event_id = t.e and r.idempotency_key = t.k""")
          .execute(Tuple.tuple().addArrayOfLong(keyed.stream().map(SignUp::eventId).toArray(Long[]::new))
              .addArrayOfString(keyed.stream().map(SignUp::key).toArray(String[]::new)));
      Future<RowSet<Row>> organisationsKnown = chosenOrganisations.length == 0 ? Future.succeededFuture(null)
          : conn.preparedQuery("select id from organisation where id = any($1)").execute(Tuple.tuple().addArrayOfLong(chosenOrganisations));
      return Future.all(event, sessions, catalogue, known, organisationsKnown)
          .compose(v -> {
            Map<Long, Map<Long, OffsetDateTime>> slots = new HashMap<>();
            sessions.result().forEach(s -> slots.computeIfAbsent(s.getLong("event_id"), k -> new HashMap<>())
                .put(s.getLong("id"), s.getOffsetDateTime("starts_at")));
            event.result().forEach(e -> events.put(e.getLong("id"), new EventFacts(e.getLong("id"), e.getString("status"),
                e.getOffsetDateTime("starts_at"), e.getOffsetDateTime("ends_at"), e.getOffsetDateTime("registration_opens_at"),
                e.getOffsetDateTime("registration_closes_at"), slots.getOrDefault(e.getLong("id"), Map.of()))));
            Map<EventKey, Row> byKey = new HashMap<>();
            if (known.result() != null) {
              known.result().forEach(r -> byKey.put(new EventKey(r.getLong("event_id"), r.getString("idempotency_key")), r));
            }
            java.util.Set<Long> organisationIds = new java.util.HashSet<>();
            if (organisationsKnown.result() != null) {
              organisationsKnown.result().forEach(r -> organisationIds.add(r.getLong("id")));
            }
            return sort(catalogue.result(), byKey, organisationIds)
                .compose(x -> insert())
                .compose(x -> claimSeats());
          })
          .map(v -> answers);
    }

    /**
     * Answers those whose answer needs no writing (no such event, a replay, a key used for another request, a refusal
     * by the rules) and marks the rest as going on; typed organisation names are looked up or added, one sign-up after
     * the other.
     */
    private Future<Void> sort(List<Need> catalogue, Map<EventKey, Row> byKey, java.util.Set<Long> organisationIds) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < items.size(); i++) {
        int at = i;
        SignUp s = items.get(i);
        EventFacts facts = events.get(s.eventId());
        if (facts == null) {
          answers.set(i, SignUpQueue.Answer.failed(new NotFoundException("event " + s.eventId())));
          continue;
        }
        Row first = s.key() == null ? null : byKey.get(new EventKey(s.eventId(), s.key()));
        if (first != null) {
          if (!java.util.Arrays.equals(first.getBuffer("fingerprint").getBytes(), s.fingerprint())) {
            answers.set(i, SignUpQueue.Answer.failed(new ConflictException(KEY_REUSED, Msg.of("error.reg.keyReused"),
                Map.of("Idempotency-Key", Msg.of("error.reg.keyReusedField")))));
          } else if (s.source().byStaff()) {
            chain = chain.compose(v -> replayed(conn, java.util.Optional.ofNullable(first.getUUID("registration_id")))
                .map(r -> {
                  answers.set(at, SignUpQueue.Answer.of(r));
                  return null;
                }));
          } else {
            answers.set(i, SignUpQueue.Answer.of(RegistrationResult.NEUTRAL));
          }
          continue;
        }
        try {
          checkOpen(facts, s.source(), now);
          needs[i] = chosenNeeds(facts, catalogue, s.data());
          if (s.data().organisationId() != null && !organisationIds.contains(s.data().organisationId())) {
            throw ValidationException.of("organisationId", "error.reg.organisationUnknown");
          }
        } catch (RuntimeException refused) {
          answers.set(i, SignUpQueue.Answer.failed(refused));
          continue;
        }
        going[i] = true;
        ids[i] = UUID.randomUUID();
        if (s.data().organisationId() != null || s.data().organisationName() == null) {
          organisations[i] = s.data().organisationId();
        } else {
          chain = chain.compose(v -> organisation(conn, s.data(), s.source())
              .map(id -> {
                organisations[at] = id;
                return (Void) null;
              })
              .recover(refused -> {
                if (!(refused instanceof ValidationException)) {
                  return Future.failedFuture(refused);  // the database's own refusal: the transaction is over
                }
                going[at] = false;
                answers.set(at, SignUpQueue.Answer.failed(refused));
                return Future.succeededFuture();
              }));
        }
      }
      return chain;
    }

    /**
     * Takes the keys and inserts the registrations (waiting, for now), then their needs, sessions and organiser tasks;
     * an address already registered for the event is a second sign-up ({@link #again}).
     */
    private Future<Void> insert() {
      List<Integer> going = goingNow();
      if (going.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Long> keyEvents = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      List<Buffer> prints = new ArrayList<>();
      JsonArray people = new JsonArray();
      for (int i : going) {
        SignUp s = items.get(i);
        RegistrationInput.Data d = s.data();
        if (s.key() != null) {
          keyEvents.add(s.eventId());
          keys.add(s.key());
          prints.add(Buffer.buffer(s.fingerprint()));
        }
        people.add(new JsonObject().put("id", ids[i].toString()).put("event_id", s.eventId()).put("name", d.name())
            .put("email", d.email()).put("phone", d.phone()).put("organisation_id", organisations[i])
            .put("role_title", d.roleTitle()).put("companion", d.companion()).put("diet", new JsonArray(d.diet()))
            .put("consent", d.consent()).put("language", d.language()).put("source", s.source().code)
            .put("over_capacity", s.source() == Source.WALK_IN_OVER_CAPACITY));
      }
      Future<RowSet<Row>> taken = keys.isEmpty() ? Future.succeededFuture(null) : conn.preparedQuery("""
              insert into registration_request (event_id, idempotency_key, fingerprint)
              select e, k, f from unnest($1::bigint[], $2::text[], $3::bytea[]) as t(e, k, f)
              on conflict (event_id, idempotency_key) do nothing
              returning idempotency_key""")
          .execute(Tuple.tuple().addArrayOfLong(keyEvents.toArray(Long[]::new)).addArrayOfString(keys.toArray(String[]::new))
              .addArrayOfBuffer(prints.toArray(Buffer[]::new)));
      Future<RowSet<Row>> inserted = conn.preparedQuery("""
              insert into registration (id, event_id, status, waitlist_seq, name, email, phone, organisation_id, role_title,
                companion, diet, consent_at, language, source, over_capacity, participant_key)
              select t.id, t.event_id, 'waitlisted', nextval('waitlist_seq'), t.name, t.email, t.phone, t.organisation_id,
                t.role_title, t.companion, t.diet, case when t.consent then $2::timestamptz end, t.language, t.source,
                t.over_capacity, participant_key(t.event_id, t.email)
              from jsonb_to_recordset($1::jsonb) as t(id uuid, event_id bigint, name text, email text, phone text,
                organisation_id bigint, role_title text, companion boolean, diet text[], consent boolean, language text,
                source text, over_capacity boolean)
              on conflict (event_id, lower(email)) where status <> 'cancelled' do nothing
              returning id""")
          .execute(Tuple.of(people, now));
      return Future.all(taken, inserted).compose(v -> {
        if (taken.result() != null && taken.result().rowCount() < keys.size()) {
          // Another request took one of these keys after this batch looked: the next run replays it.
          return Future.failedFuture(new RunAgain(Map.of()));
        }
        java.util.Set<UUID> made = new java.util.HashSet<>();
        inserted.result().forEach(r -> made.add(r.getUUID("id")));
        List<Integer> registered = new ArrayList<>();
        List<Integer> again = new ArrayList<>();
        for (int i : going) {
          (made.contains(ids[i]) ? registered : again).add(i);
        }
        return choices(registered).compose(x -> again(again));
      });
    }

    /** The needs, sessions and organiser tasks of the new registrations, and their keys tied to them. */
    private Future<Void> choices(List<Integer> registered) {
      JsonArray needRows = new JsonArray();
      List<UUID> sessionOf = new ArrayList<>();
      List<Long> sessionIds = new ArrayList<>();
      JsonArray taskRows = new JsonArray();
      List<Long> keyEvents = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      List<UUID> keyed = new ArrayList<>();
      LocalDate today = now.atZoneSameInstant(STOCKHOLM).toLocalDate();
      for (int i : registered) {
        SignUp s = items.get(i);
        UUID id = ids[i];
        LocalDate eventDay = events.get(s.eventId()).startsAt().atZoneSameInstant(STOCKHOLM).toLocalDate();
        s.data().needs().forEach((code, detail) -> needRows.add(new JsonObject().put("rid", id.toString())
            .put("code", code).put("detail", detail)));
        s.data().sessions().forEach(session -> {
          sessionOf.add(id);
          sessionIds.add(session);
        });
        List<String> late = new ArrayList<>();
        for (Need n : needs[i]) {
          if (n.leadDays() != null) {
            LocalDate bookBy = eventDay.minusDays(n.leadDays());
            boolean urgentNow = today.isAfter(bookBy);
            if (urgentNow) {
              late.add(n.code());
            }
            taskRows.add(new JsonObject().put("event_id", s.eventId()).put("rid", id.toString()).put("code", n.code())
                .put("book_by", bookBy.toString()).put("urgent", urgentNow));
          }
        }
        urgent[i] = late;
        if (s.key() != null) {
          keyEvents.add(s.eventId());
          keys.add(s.key());
          keyed.add(id);
        }
      }
      List<Future<?>> writes = new ArrayList<>();
      if (!needRows.isEmpty()) {
        writes.add(conn.preparedQuery("""
                insert into registration_need (registration_id, need_code, detail)
                select t.rid, t.code, case when n.has_detail then t.detail end
                from jsonb_to_recordset($1::jsonb) as t(rid uuid, code text, detail text) join need n on n.code = t.code""")
            .execute(Tuple.of(needRows)));
      }
      if (!sessionIds.isEmpty()) {
        writes.add(conn.preparedQuery("""
                insert into registration_session (registration_id, session_id)
                select * from unnest($1::uuid[], $2::bigint[])""")
            .execute(Tuple.tuple().addArrayOfUUID(sessionOf.toArray(UUID[]::new)).addArrayOfLong(sessionIds.toArray(Long[]::new))));
      }
      if (!taskRows.isEmpty()) {
        writes.add(conn.preparedQuery("""
                insert into organiser_task (event_id, registration_id, need_code, book_by, urgent)
                select t.event_id, t.rid, t.code, t.book_by, t.urgent
                from jsonb_to_recordset($1::jsonb) as t(event_id bigint, rid uuid, code text, book_by date, urgent boolean)
                on conflict (registration_id, need_code) do nothing""")
            .execute(Tuple.of(taskRows)));
      }
      if (!keys.isEmpty()) {
        writes.add(recordKeys(keyEvents, keys, keyed));
      }
      return Future.all(writes).mapEmpty();
    }

    /** Ties each key to the registration its request made or named, so erasing that registration deletes the key. */
    private Future<RowSet<Row>> recordKeys(List<Long> keyEvents, List<String> keys, List<UUID> registrations) {
      return conn.preparedQuery("""
              update registration_request r set registration_id = t.rid
              from unnest($1::bigint[], $2::text[], $3::uuid[]) as t(e, k, rid)
              where r.event_id = t.e and r.idempotency_key = t.k""")
          .execute(Tuple.tuple().addArrayOfLong(keyEvents.toArray(Long[]::new)).addArrayOfString(keys.toArray(String[]::new))
              .addArrayOfUUID(registrations.toArray(UUID[]::new)));
    }

    /**
     * Addresses already registered for their event. Staff are told so and nothing of theirs is kept. The public is
     * answered as for a new sign-up: refused where a new one would be refused at the seat claim, else the manage link
     * is mailed again (at most once per {@link #LINK_RESEND_INTERVAL}). Either refusal runs the batch again without
     * them, since their keys are taken by now.
     */
    private Future<Void> again(List<Integer> again) {
      Map<Integer, Throwable> leftOut = new HashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i : again) {
        SignUp s = items.get(i);
        long eventId = s.eventId();
        going[i] = false;
        if (s.source().byStaff()) {
          if (s.key() == null) {
            answers.set(i, SignUpQueue.Answer.failed(new AlreadyRegistered()));
          } else {
            leftOut.put(i, new AlreadyRegistered());
          }
          continue;
        }
        chain = chain.compose(v -> conn.preparedQuery("select id from registration "
                + "where event_id = $1 and lower(email) = lower($2) and status <> 'cancelled' for update")
            .execute(Tuple.of(eventId, s.data().email()))
            .compose(rows -> {
              if (rows.size() == 0) {
                answers.set(i, SignUpQueue.Answer.of(RegistrationResult.NEUTRAL));  // cancelled meanwhile: nothing to send
                return Future.succeededFuture();
              }
              UUID existing = rows.iterator().next().getUUID("id");
              return refusedAtTheClaim(conn, eventId, s.data())
                  .compose(ok -> mails.addUnlessQueuedWithin(conn, "manage_link", eventId, existing, LINK_RESEND_INTERVAL))
                  .compose(queued -> s.key() == null ? Future.succeededFuture()
                      : recordKeys(List.of(eventId), List.of(s.key()), List.of(existing)).mapEmpty())
                  .map(x -> {
                    answers.set(i, SignUpQueue.Answer.of(new RegistrationResult(existing, null, null, true, List.of())));
                    return (Void) null;
                  })
                  .recover(refused -> {
                    if (!(refused instanceof ValidationException)) {
                      return Future.failedFuture(refused);
                    }
                    if (s.key() == null) {
                      answers.set(i, SignUpQueue.Answer.failed(refused));
                    } else {
                      leftOut.put(i, refused);
                    }
                    return Future.succeededFuture();
                  });
            }));
      }
      return chain.compose(v -> leftOut.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new RunAgain(leftOut)));
    }

    /**
     * Locks the rows of the batch's events, in the order of their ids, in one statement of its own (the next one then
     * sees everything committed before the locks were granted, such as a sign-up that joined a waiting list
     * meanwhile), reads every event's free seats, counts them out in arrival order event by event, and writes the
     * claims, the numbers and the outbox rows, all sent together.
     */
    private Future<Void> claimSeats() {
      List<Integer> going = goingNow();
      if (going.isEmpty()) {
        return Future.succeededFuture();
      }
      UUID[] batchIds = going.stream().map(i -> ids[i]).toArray(UUID[]::new);
      Long[] eventIds = going.stream().map(i -> items.get(i).eventId()).distinct().sorted().toArray(Long[]::new);
      Long[] withSessions = going.stream().filter(i -> !items.get(i).data().sessions().isEmpty())
          .map(i -> items.get(i).eventId()).distinct().toArray(Long[]::new);
      // LockRows runs above the sort: the rows are locked one after the other in the order of their ids, so batches
      // (of this instance or another) that share events take them in the same order and never deadlock.
      Future<RowSet<Row>> lock = conn.preparedQuery("select id from event where id = any($1) order by id for no key update")
          .execute(Tuple.tuple().addArrayOfLong(eventIds));
      // Whether anyone is waiting: one index probe per event. As an EXISTS correlated over several events PostgreSQL
      // may hash every waiting registration of the table instead, which made each batch of a hot event's rush read
      // its ever longer list (5 ms a batch instead of 1, half the sign-ups per second).
      Future<RowSet<Row>> seats = conn.preparedQuery("select e.id, e.capacity - e.seats_taken as free, "
              + anyoneWaiting("e.id", "not (w.id = any($2))") + " as waiting from event e where e.id = any($1)")
          .execute(Tuple.tuple().addArrayOfLong(eventIds).addArrayOfUUID(batchIds));
      Future<RowSet<Row>> sessionSeats = withSessions.length == 0 ? Future.succeededFuture(null) : conn.preparedQuery("""
              select id, capacity - seats_taken as free from event_session where event_id = any($1)
              order by id for no key update""")
          .execute(Tuple.tuple().addArrayOfLong(withSessions));
      // Walk-ins let in beyond capacity: the no-shows' seats are counted under the event's lock, after every earlier
      // batch of the event has committed, so one no-show's seat goes to one person even from two doors at once.
      Long[] anyway = going.stream().filter(i -> items.get(i).source() == Source.WALK_IN_OVER_CAPACITY)
          .map(i -> items.get(i).eventId()).distinct().toArray(Long[]::new);
      Future<RowSet<Row>> noShowSeats = anyway.length == 0 ? Future.succeededFuture(null) : conn.preparedQuery(
              "select e.id, " + NO_SHOW_SEATS + " as seats from event e where e.id = any($1)")
          .execute(Tuple.tuple().addArrayOfLong(anyway));
      // From here this batch is first in line for its events: the next batch may start (its locks wait for this commit).
      lock.onSuccess(v -> this.locked.tryComplete());
      return Future.all(lock, seats, sessionSeats, noShowSeats).compose(v -> {
        Map<Long, Integer> free = new HashMap<>();
        java.util.Set<Long> waiting = new java.util.HashSet<>();
        seats.result().forEach(r -> {
          free.put(r.getLong("id"), r.getInteger("free"));
          if (r.getBoolean("waiting")) {
            waiting.add(r.getLong("id"));
          }
        });
        Map<Long, Long> noShows = new HashMap<>();
        if (noShowSeats.result() != null) {
          noShowSeats.result().forEach(r -> noShows.put(r.getLong("id"), r.getLong("seats")));
        }
        Map<Long, Integer> sessionFree = new HashMap<>();
        if (sessionSeats.result() != null) {
          sessionSeats.result().forEach(s -> sessionFree.put(s.getLong("id"), s.getInteger("free")));
        }
        Map<Integer, Throwable> leftOut = new HashMap<>();
        List<UUID> order = new ArrayList<>();
        List<Boolean> confirmed = new ArrayList<>();
        List<UUID> holding = new ArrayList<>();
        Map<Long, Integer> taken = new java.util.TreeMap<>();
        Map<Long, Integer> sessionTaken = new java.util.TreeMap<>();
        for (int i : going) {
          long eventId = items.get(i).eventId();
          RegistrationInput.Data d = items.get(i).data();
          if (!free.containsKey(eventId)) {
            leftOut.put(i, new NotFoundException("event " + eventId));  // deleted since the batch began
            continue;
          }
          if (items.get(i).source() == Source.WALK_IN_OVER_CAPACITY) {
            // Let in at the door beyond capacity, against a no-show's seat: confirmed, holding no seat, and the
            // waiting list does not move. No such seat left (another door took it a moment ago): refused, nothing kept.
            long left = noShows.getOrDefault(eventId, 0L);
            if (left < d.seats()) {
              leftOut.put(i, new ConflictException("no_show_seats_taken", Msg.of("checkin.walkIn.noShowSeatsTaken")));
              continue;
            }
            noShows.put(eventId, left - d.seats());
            order.add(ids[i]);
            confirmed.add(true);
            continue;
          }
          int need = d.seats();
          boolean fits = !waiting.contains(eventId) && free.get(eventId) >= need;
          if (fits && d.sessions().stream().anyMatch(s -> sessionFree.getOrDefault(s, 0) < need)) {
            leftOut.put(i, ValidationException.of("sessions", "error.reg.sessionFull"));
            continue;
          }
          if (fits) {
            free.merge(eventId, -need, Integer::sum);
            taken.merge(eventId, need, Integer::sum);
            d.sessions().forEach(s -> {
              sessionFree.merge(s, -need, Integer::sum);
              sessionTaken.merge(s, need, Integer::sum);
            });
            if (!d.sessions().isEmpty()) {
              holding.add(ids[i]);
            }
          } else {
            waiting.add(eventId);
          }
          order.add(ids[i]);
          confirmed.add(fits);
        }
        if (!leftOut.isEmpty()) {
          return Future.failedFuture(new RunAgain(leftOut));
        }
        List<Future<?>> writes = new ArrayList<>();
        if (!taken.isEmpty()) {
          writes.add(conn.preparedQuery("""
                  update event e set seats_taken = e.seats_taken + t.n
                  from unnest($1::bigint[], $2::int[]) as t(id, n) where e.id = t.id""")
              .execute(Tuple.tuple().addArrayOfLong(taken.keySet().toArray(Long[]::new))
                  .addArrayOfInteger(taken.values().toArray(Integer[]::new))));
        }
        if (!sessionTaken.isEmpty()) {
          writes.add(conn.preparedQuery("""
                  update event_session s set seats_taken = s.seats_taken + t.n
                  from unnest($1::bigint[], $2::int[]) as t(id, n) where s.id = t.id""")
              .execute(Tuple.tuple().addArrayOfLong(sessionTaken.keySet().toArray(Long[]::new))
                  .addArrayOfInteger(sessionTaken.values().toArray(Integer[]::new))));
          writes.add(conn.preparedQuery("update registration_session set holds_seat = true where registration_id = any($1)")
              .execute(Tuple.tuple().addArrayOfUUID(holding.toArray(UUID[]::new))));
        }
        // Numbered in arrival order (nextval row by row, in the order of the array), and announced, in one statement.
        Future<RowSet<Row>> numbered = conn.preparedQuery("""
                with arrival as materialized (
                  select t.id, t.confirmed, nextval('waitlist_seq') as seq
                  from unnest($1::uuid[], $2::boolean[]) with ordinality as t(id, confirmed, n) order by t.n),
                numbered as (
                  update registration r set waitlist_seq = a.seq,
                    status = case when a.confirmed then 'confirmed' else 'waitlisted' end,
                    confirmed_at = case when a.confirmed then now() end
                  from arrival a where r.id = a.id
                  returning r.id, r.event_id, r.status, a.seq),
                mail as (insert into outbox (kind, event_id, registration_id)
                  select status, event_id, id from numbered order by seq)
                select id, status from numbered""")
            .execute(Tuple.tuple().addArrayOfUUID(order.toArray(UUID[]::new))
                .addArrayOfBoolean(confirmed.toArray(Boolean[]::new)));
        writes.add(numbered);
        return Future.all(writes).map(x -> {
          Map<UUID, String> status = new HashMap<>();
          numbered.result().forEach(r -> status.put(r.getUUID("id"), r.getString("status")));
          for (int i : going) {
            answers.set(i, SignUpQueue.Answer.of(new RegistrationResult(ids[i], status.get(ids[i]), null, false,
                urgent[i] == null ? List.of() : urgent[i])));
          }
          return null;
        });
      });
    }

    private List<Integer> goingNow() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (going[i]) {
          out.add(i);
        }
      }
      return out;
    }
  }

  /** The error code of a second, different request under an Idempotency-Key. */
  static final String KEY_REUSED = "idempotency_key_reused";

  /** A staff request replayed: the registration it made, as it is now (its place is added after commit). */
  private Future<RegistrationResult> replayed(SqlConnection conn, java.util.Optional<UUID> registrationId) {
    if (registrationId.isEmpty()) {
      return Future.succeededFuture(RegistrationResult.DUPLICATE);
    }
    return conn.preparedQuery("""
            select r.status, array(select t.need_code from organiser_task t where t.registration_id = r.id and t.urgent
                                   order by t.need_code) as urgent
            from registration r where r.id = $1""")
        .execute(Tuple.of(registrationId.get()))
        .map(rows -> {
          if (rows.size() == 0) {
            return RegistrationResult.DUPLICATE;
          }
          Row r = rows.iterator().next();
          return new RegistrationResult(registrationId.get(), r.getString("status"), null, false,
              List.of(r.getArrayOfStrings("urgent")));
        });
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
            r.duplicate(), r.urgentNeeds()));
  }

  /** The request under this key was made before, with the same fingerprint: it made or named this registration (if any). */
  private record Replay(java.util.Optional<UUID> registrationId) {}

  /**
   * Takes the key for this request, or finds the request that took it first. Empty: the key is ours (or there is none,
   * or no such event: the sign-up then says so), go on. A replay: the same request again, answered as the first was.
   * Another request under the key: refused. If the first request under the key is still running, the insert waits for
   * it to commit or roll back.
   */
  private Future<java.util.Optional<Replay>> claimKey(SqlConnection conn, long eventId, String key, byte[] fingerprint) {
    if (key == null) {
      return Future.succeededFuture(java.util.Optional.empty());
    }
    return conn.preparedQuery("""
            insert into registration_request (event_id, idempotency_key, fingerprint)
            select $1, $2, $3 where exists (select 1 from event where id = $1)
            on conflict (event_id, idempotency_key) do nothing""")
        .execute(Tuple.of(eventId, key, Buffer.buffer(fingerprint)))
        .compose(inserted -> inserted.rowCount() == 1
            ? Future.succeededFuture(java.util.Optional.<Replay>empty())
            : conn.preparedQuery("select fingerprint, registration_id from registration_request where event_id = $1 and idempotency_key = $2")
                .execute(Tuple.of(eventId, key))
                .compose(rows -> {
                  if (rows.size() == 0) {
                    return Future.succeededFuture(java.util.Optional.<Replay>empty());
                  }
                  Row first = rows.iterator().next();
                  if (!java.util.Arrays.equals(first.getBuffer("fingerprint").getBytes(), fingerprint)) {
                    return Future.failedFuture(new ConflictException(KEY_REUSED, Msg.of("error.reg.keyReused"),
                        Map.of("Idempotency-Key", Msg.of("error.reg.keyReusedField"))));
                  }
                  return Future.succeededFuture(java.util.Optional.of(
                      new Replay(java.util.Optional.ofNullable(first.getUUID("registration_id")))));
                }));
  }

  /**
   * The address is already registered. Staff are told so (and nothing changes). The public is answered as for a new
   * sign-up: refused where a new one would be refused at the seat claim (a chosen session full while the event has
   * room), else the registration's manage link is mailed again to the address (it replaces the older links when it
   * is sent), at most once per {@link #LINK_RESEND_INTERVAL}. The registration row is locked, so two second sign-ups
   * at once queue one mail.
   */
  private Future<RegistrationResult> duplicate(SqlConnection conn, long eventId, RegistrationInput.Data d, Source source) {
    if (source.byStaff()) {
      return Future.failedFuture(new AlreadyRegistered());
    }
    return conn.preparedQuery("select id from registration "
            + "where event_id = $1 and lower(email) = lower($2) and status <> 'cancelled' for update")
        .execute(Tuple.of(eventId, d.email()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(RegistrationResult.NEUTRAL);  // cancelled meanwhile: nothing to send
          }
          UUID existing = rows.iterator().next().getUUID("id");
          return refusedAtTheClaim(conn, eventId, d)
              .compose(v -> mails.addUnlessQueuedWithin(conn, "manage_link", eventId, existing, LINK_RESEND_INTERVAL))
              .map(queued -> new RegistrationResult(existing, null, null, true, List.of()));
        });
  }

  /** The event, if this source may sign up for it now (see {@link #checkOpen}). */
  private Future<EventFacts> eventForSignUp(SqlConnection conn, long eventId, Source source, OffsetDateTime now) {
    return eventFacts(conn, eventId, false).map(e -> {
      checkOpen(e, source, now);
      return e;
    });
  }

  /**
   * One person of a group, signed up alone on the group's transaction (a group is rare, and all of it or none must
   * be kept, so it does not go through the batches of {@link SignUpQueue}): the same checks, seat claim and numbering.
   */
  private Future<RegistrationResult> signUp(SqlConnection conn, long eventId, RegistrationInput.Data d, Source source) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return eventForSignUp(conn, eventId, source, now)
        .compose(event -> checkChoices(conn, event, d).map(needs -> Map.entry(event, needs)))
        .compose(ctx -> organisation(conn, d, source).compose(orgId -> conn.preparedQuery("""
                insert into registration (event_id, status, waitlist_seq, name, email, phone, organisation_id, role_title,
                  companion, diet, consent_at, language, source, participant_key)
                values ($1, 'waitlisted', nextval('waitlist_seq'), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                  participant_key($1, $3))
                on conflict (event_id, lower(email)) where status <> 'cancelled' do nothing
                returning id""")
            .execute(Tuple.from(new Object[] {eventId, d.name(), d.email(), d.phone(), orgId, d.roleTitle(),
                d.companion(), d.diet().toArray(String[]::new), d.consent() ? now : null, d.language(), source.code})))
            .compose(rows -> {
              if (rows.size() == 0) {
                return duplicate(conn, eventId, d, source);
              }
              UUID id = rows.iterator().next().getUUID("id");
              EventFacts event = ctx.getKey();
              // Everything that does not need the seat happens before the claim, so the event row stays
              // locked only for the claim, the numbering and the commit.
              return saveChoices(conn, id, d)
                  .compose(v -> tasks(conn, event, id, ctx.getValue(), now))
                  .compose(urgent -> claim(conn, event, id, d.seats(), d.sessions())
                      .compose(confirmed -> numberAndAnnounce(conn, eventId, id, confirmed))
                      .map(status -> new RegistrationResult(id, status, null, false, urgent)));
            }));
  }

  // ------------------------------------------------------------------------------------------------
  // Signing others up
  // ------------------------------------------------------------------------------------------------

  /**
   * Which people of a public group sign-up are only answered, not kept (see {@link Effect#ANSWER_ONLY}): those with an
   * address of their own over its limits ({@code overLimit}, by index), and – when the contact's address is over its
   * limits – everyone signed up through the contact.
   */
  public record GroupEffects(java.util.Set<Integer> overLimit, boolean contactOverLimit) {
    public static final GroupEffects KEEP_ALL = new GroupEffects(java.util.Set.of(), false);

    boolean answerOnly(int index, GroupInput.Person p) {
      return p.viaContact() ? contactOverLimit : overLimit.contains(index);
    }
  }

  /**
   * A contact person signs several people up (the public: {@link Source#WEB} or {@link Source#API}), in one transaction:
   * the whole group or nobody. Each person, in the order given, is signed up as a single sign-up would be – a seat while
   * seats last, then the waiting list. People with an address of their own are exactly single sign-ups (their ticket,
   * or their manage link again if already registered, goes to their address). People without one (or with the
   * contact's address) are registered without an address, tied to the contact ({@code group_contact}, one per address
   * and event), and are the same person as someone already among the contact's people with the same name
   * ({@link GroupInput#sameName}): then nothing changes for them. The contact gets one e-mail ({@code group_contact})
   * listing their people with each one's ticket and manage link; when nobody new came through the contact, at most once
   * per {@link #LINK_RESEND_INTERVAL}, as a single sign-up's manage link is. The answer is always the neutral one.
   * Refusals (a closed event, a full session, an unknown organisation …) are the same whoever is already registered,
   * and field errors name the person ({@code people[2].sessions}).
   */
  public Future<RegistrationResult> registerGroup(long eventId, GroupInput input, String idempotencyKey, Source source,
                                                  GroupEffects effects) {
    if (source.byStaff()) {
      return Future.failedFuture(new IllegalArgumentException("A group sign-up is the public's"));
    }
    byte[] fingerprint = idempotencyKey == null ? null : input.fingerprint(eventId, source.code);
    return Future.all(input.people().stream().map(this::knownOrganisation).toList())
        .map(all -> input.withPeople(all.<RegistrationInput>list()).validate())
        .compose(group -> pool.withTransaction(conn -> claimKey(conn, eventId, idempotencyKey, fingerprint)
            .compose(replay -> replay.isPresent() ? Future.<Void>succeededFuture()
                : signUpGroup(conn, eventId, group, source, effects))))
        .map(RegistrationResult.NEUTRAL);
  }

  private Future<Void> signUpGroup(SqlConnection conn, long eventId, GroupInput.Data group, Source source,
                                   GroupEffects effects) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return eventForSignUp(conn, eventId, source, now)
        .compose(event -> (group.viaContact() == 0 ? Future.<UUID>succeededFuture(null) : contact(conn, eventId, group))
            .compose(contactId -> {
              // Per person: whether someone new came through the contact (kept), whether anyone came again.
              boolean[] viaContact = new boolean[2];
              Future<Void> chain = Future.succeededFuture();
              for (int i = 0; i < group.people().size(); i++) {
                int index = i;
                GroupInput.Person p = group.people().get(i);
                boolean answerOnly = effects.answerOnly(index, p);
                chain = chain.compose(v -> {
                  Future<Boolean> one = p.viaContact()
                      ? signUpViaContact(conn, event, contactId, p.data(), source, now)
                      : signUp(conn, eventId, p.data(), source).map(r -> !r.duplicate());
                  Future<Boolean> kept = answerOnly ? onlyAnswered(conn, "person" + index, () -> one) : one;
                  return kept.recover(e -> Future.failedFuture(e instanceof ValidationException ve
                          ? ve.prefixed("people[" + index + "].") : e))
                      .map(isNew -> {
                        if (p.viaContact() && !answerOnly) {
                          viaContact[isNew ? 0 : 1] = true;
                        }
                        return null;
                      });
                });
              }
              return chain.compose(v -> contactId == null ? Future.<Void>succeededFuture()
                  : viaContact[0] || viaContact[1]
                      ? mails.addForContact(conn, eventId, contactId, viaContact[0], LINK_RESEND_INTERVAL).<Void>mapEmpty()
                      // Nobody kept through the contact (its address over its limits): no contact left without people.
                      : conn.preparedQuery("delete from group_contact c where c.id = $1 "
                          + "and not exists (select 1 from registration r where r.contact_id = c.id)")
                          .execute(Tuple.of(contactId)).<Void>mapEmpty());
            }));
  }

  /**
   * Runs a step and then undoes what it wrote, keeping its failure: the same checks and refusals as a kept sign-up, and
   * nothing stored (a savepoint of the group's transaction).
   */
  private static Future<Boolean> onlyAnswered(SqlConnection conn, String name,
                                              java.util.function.Supplier<Future<Boolean>> step) {
    return conn.query("savepoint " + name).execute()
        .compose(v -> step.get())
        .compose(r -> conn.query("rollback to savepoint " + name).execute().map(false));
  }

  /** The contact person of this address and event, made on first use and locked (one contact mail at a time). */
  private Future<UUID> contact(SqlConnection conn, long eventId, GroupInput.Data group) {
    return conn.preparedQuery("""
            insert into group_contact (event_id, name, email, language) values ($1, $2, $3, $4)
            on conflict (event_id, lower(email)) do nothing""")
        .execute(Tuple.of(eventId, group.contactName(), group.contactEmail(), group.language()))
        .compose(v -> conn.preparedQuery("select id from group_contact where event_id = $1 and lower(email) = lower($2) for update")
            .execute(Tuple.of(eventId, group.contactEmail())))
        .map(rows -> rows.iterator().next().getUUID("id"));
  }

  /**
   * One person signed up through their contact, with no address. Returns true when they are new; false when the
   * contact had signed them up already (nothing changes; refused where a new sign-up would be at the seat claim).
   */
  private Future<Boolean> signUpViaContact(SqlConnection conn, EventFacts event, UUID contactId, RegistrationInput.Data d,
                                           Source source, OffsetDateTime now) {
    return checkChoices(conn, event, d)
        .compose(needs -> organisation(conn, d, source).compose(orgId -> conn.preparedQuery("""
                insert into registration (event_id, status, waitlist_seq, name, email, phone, organisation_id, role_title,
                  companion, diet, consent_at, language, source, contact_id)
                values ($1, 'waitlisted', nextval('waitlist_seq'), $2, null, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                on conflict (contact_id, lower(regexp_replace(btrim(name), '\\s+', ' ', 'g')))
                  where contact_id is not null and email is null and status <> 'cancelled' do nothing
                returning id""")
            .execute(Tuple.from(new Object[] {event.id(), d.name(), d.phone(), orgId, d.roleTitle(), d.companion(),
                d.diet().toArray(String[]::new), d.consent() ? now : null, d.language(), source.code, contactId}))
            .compose(rows -> {
              if (rows.size() == 0) {
                return refusedAtTheClaim(conn, event.id(), d).map(false);
              }
              UUID id = rows.iterator().next().getUUID("id");
              return saveChoices(conn, id, d)
                  .compose(v -> tasks(conn, event, id, needs, now))
                  .compose(urgent -> claim(conn, event, id, d.seats(), d.sessions()))
                  .compose(confirmed -> numberAndAnnounce(conn, event.id(), id, confirmed, false))
                  .map(true);
            })));
  }

  /**
   * The people a contact signed up who are still on (confirmed or waiting, not erased), in the order they got their
   * places, with the contact: what the contact's e-mail lists. Empty when the contact is gone.
   */
  public Future<java.util.Optional<GroupContact>> contactWithPeople(UUID contactId) {
    return pool.withConnection(conn -> conn.preparedQuery("select id, event_id, name, email, language from group_contact where id = $1")
        .execute(Tuple.of(contactId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(java.util.Optional.<GroupContact>empty());
          }
          Row c = rows.iterator().next();
          return conn.preparedQuery("""
                  select id from registration where contact_id = $1 and status <> 'cancelled' and erased_at is null
                  order by case status when 'confirmed' then 0 else 1 end, waitlist_seq""")
              .execute(Tuple.of(contactId))
              .compose(ids -> {
                List<UUID> list = new ArrayList<>();
                ids.forEach(r -> list.add(r.getUUID("id")));
                return loadAll(conn, list);
              })
              .map(people -> java.util.Optional.of(new GroupContact(c.getUUID("id"), c.getLong("event_id"),
                  c.getString("name"), c.getString("email"), c.getString("language"), people)));
        }));
  }

  /** A contact person and the people they signed up (see {@link #contactWithPeople}). */
  public record GroupContact(UUID id, long eventId, String name, String email, String language, List<Registration> people) {}

  /**
   * How soon the manage link of one registration is mailed again when its address signs up again: once per quarter
   * of an hour at most, so a stranger cannot fill the person's inbox (the one home of this rule).
   */
  static final java.time.Duration LINK_RESEND_INTERVAL = java.time.Duration.ofMinutes(15);

  /** What the seat claim would refuse for a new sign-up of this input: a chosen session that is full, while the event has room. */
  private Future<Void> refusedAtTheClaim(SqlConnection conn, long eventId, RegistrationInput.Data d) {
    if (d.sessions().isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("""
            select e.capacity - e.seats_taken >= $2
              and not """ + anyoneWaiting("e.id", null) + """
              and exists (select 1 from event_session s where s.event_id = e.id and s.id = any($3)
                            and s.seats_taken + $2 > s.capacity) as refused
            from event e where e.id = $1""")
        .execute(Tuple.tuple().addLong(eventId).addInteger(d.seats()).addArrayOfLong(d.sessions().toArray(Long[]::new)))
        .compose(rows -> rows.size() == 1 && rows.iterator().next().getBoolean("refused")
            ? Future.failedFuture(ValidationException.of("sessions", "error.reg.sessionFull"))
            : Future.succeededFuture());
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
                and not """ + anyoneWaiting("$1", "w.id <> $2") + """
                as fits
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
    return numberAndAnnounce(conn, eventId, id, confirmed, true);
  }

  /** @param announce false for someone signed up by a contact person: the contact's one e-mail tells of them all */
  private Future<String> numberAndAnnounce(SqlConnection conn, long eventId, UUID id, boolean confirmed, boolean announce) {
    return conn.preparedQuery("""
            with numbered as (
              update registration set waitlist_seq = nextval('waitlist_seq'),
                status = case when $3 then 'confirmed' else 'waitlisted' end,
                confirmed_at = case when $3 then now() else null end
              where id = $2 returning status),
            mail as (insert into outbox (kind, event_id, registration_id) select status, $1, $2 from numbered where $4)
            select status from numbered""")
        .execute(Tuple.of(eventId, id, confirmed, announce))
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
    // The address is not changed here (and someone signed up by a contact person has none).
    return Future.succeededFuture(input).map(i -> i.validate(FieldChecks.forForm("reg"), false))
        .compose(d -> pool.withTransaction(conn -> registrationIdByToken(conn, token)
            .compose(id -> lock(conn, id))
            .compose(current -> {
              if (current.isCancelled()) {
                return Future.failedFuture(new ConflictException("registration_cancelled", Msg.of("error.reg.cancelled")));
              }
              if (current.overCapacity() && changesTicket(current, d)) {
                // Let in beyond capacity at the door, holding no seat: a companion or a session would need one.
                return Future.failedFuture(new ConflictException("over_capacity", Msg.of("error.reg.overCapacity")));
              }
              return eventFacts(conn, current.eventId(), true)
                  .compose(event -> checkChoices(conn, event, d).compose(needs -> applyChange(conn, event, current, d, needs)))
                  .compose(v -> changesTicket(current, d) ? TicketService.revokeIn(conn, current.id()) : Future.<Void>succeededFuture())
                  // The sessions before, so the e-mail's calendar file takes out the entries of those given up.
                  .compose(v -> outbox(conn, "changed", current.eventId(), current.id(),
                      new JsonObject().put("previousSessions", new JsonArray(new ArrayList<>(current.sessions())))))
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

  /**
   * Hands the seat (or the waiting-list place) of the registration behind the link over to a colleague, in one
   * transaction. The answer is the same whatever the colleague's address is, as a sign-up's is (nothing about other
   * people's registrations can be learnt from it); only the person's own address is refused ({@code email}: they know
   * it is registered). Then:
   * <ul>
   *   <li>An address not registered for the event gets a registration of its own in the same place: the same status,
   *   place in line, sessions and organisation; needs, diet and companion start empty (the colleague states their own);
   *   its ticket and manage link come by e-mail ({@code handed_to}) to that address only.</li>
   *   <li>An address already registered keeps its registration as it is (told so by e-mail, {@code handover_existing});
   *   if it is waiting and the seat given up fits it, it takes the seat ({@code promoted}). A seat nobody took goes to
   *   the waiting list in order, as when anyone cancels.</li>
   * </ul>
   * Either way the registration behind the link ends, marked as handed over, its ticket revoked at once (the door turns
   * the old code away), a companion's seat freed, and its holder is told by e-mail ({@code handed_over}).
   */
  public Future<Void> handOver(String token, String name, String email) {
    FieldChecks checks = new FieldChecks();
    String newName = checks.text("name", name, true, 200);
    String newEmail = checks.email("email", email, true);
    try {
      checks.throwIfAny();
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> lock(conn, id))
        .compose(current -> {
          if (current.isCancelled()) {
            return Future.failedFuture(new ConflictException("registration_cancelled", Msg.of("error.reg.cancelled")));
          }
          if (current.email() != null && current.email().equalsIgnoreCase(newEmail)) {
            return Future.failedFuture(ValidationException.of("email", "notices.handover.error.ownAddress"));
          }
          return eventFacts(conn, current.eventId(), true).compose(event -> {
            if ("cancelled".equals(event.status())) {
              return Future.failedFuture(new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled")));
            }
            if (!now.isBefore(event.endsAt())) {
              return Future.failedFuture(new ConflictException("event_over", Msg.of("error.reg.eventOver")));
            }
            return conn.preparedQuery("select id from registration "
                    + "where event_id = $1 and lower(email) = lower($2) and status <> 'cancelled' for update")
                .execute(Tuple.of(current.eventId(), newEmail))
                .compose(found -> found.size() == 0
                    ? handOverToNew(conn, current, newName, newEmail)
                    : handOverToRegistered(conn, current, found.iterator().next().getUUID("id")));
          });
        })
        .mapEmpty());
  }

  /** The colleague is new to the event: a registration of their own in the giver's place. */
  private Future<Void> handOverToNew(SqlConnection conn, Registration current, String name, String email) {
    boolean confirmed = current.isConfirmed();
    return conn.preparedQuery("""
            insert into registration (event_id, status, waitlist_seq, name, email, organisation_id, language, source,
              confirmed_at)
            select event_id, status, waitlist_seq, $2, $3, organisation_id, language, source,
              case when status = 'confirmed' then now() end
            from registration where id = $1
            on conflict (event_id, lower(email)) where status <> 'cancelled' do nothing
            returning id""")
        .execute(Tuple.of(current.id(), name, email))
        .compose(rows -> {
          if (rows.size() == 0) {
            // The address signed up while this ran: it is registered now, and handled as such.
            return conn.preparedQuery("select id from registration "
                    + "where event_id = $1 and lower(email) = lower($2) and status <> 'cancelled' for update")
                .execute(Tuple.of(current.eventId(), email))
                .compose(again -> handOverToRegistered(conn, current, again.iterator().next().getUUID("id")));
          }
          UUID colleague = rows.iterator().next().getUUID("id");
          return conn.preparedQuery("""
                  insert into registration_session (registration_id, session_id, holds_seat)
                  select $2, session_id, holds_seat from registration_session where registration_id = $1""")
              .execute(Tuple.of(current.id(), colleague))
              // The giver's companion had a seat of its own: the colleague starts without one, so it frees.
              .compose(v -> confirmed && current.companion()
                  ? conn.preparedQuery("update event set seats_taken = seats_taken - 1 where id = $1")
                      .execute(Tuple.of(current.eventId()))
                      .compose(x -> conn.preparedQuery("""
                              update event_session s set seats_taken = s.seats_taken - 1
                              from registration_session rs
                              where rs.session_id = s.id and rs.registration_id = $1 and rs.holds_seat""")
                          .execute(Tuple.of(current.id())))
                      .<Void>mapEmpty()
                  : Future.<Void>succeededFuture())
              .compose(v -> conn.preparedQuery("update registration_session set holds_seat = false where registration_id = $1")
                  .execute(Tuple.of(current.id())))
              .compose(v -> endHandedOver(conn, current))
              .compose(v -> outbox(conn, "handed_to", current.eventId(), colleague,
                  new JsonObject().put("fromRegistration", current.id().toString())))
              .compose(v -> confirmed && current.companion() ? promote(conn, current.eventId()) : Future.succeededFuture());
        });
  }

  /**
   * The colleague is registered already: their registration stays as it is, except that a colleague waiting for a
   * seat takes the one given up, if it fits. The giver's registration ends all the same.
   */
  private Future<Void> handOverToRegistered(SqlConnection conn, Registration current, UUID colleagueId) {
    boolean confirmed = current.isConfirmed();
    Future<Void> release = confirmed
        ? conn.preparedQuery("update event set seats_taken = seats_taken - $2 where id = $1")
            .execute(Tuple.of(current.eventId(), current.seats()))
            .compose(v -> releaseSessions(conn, current.id(), current.seats()))
        : Future.succeededFuture();
    return release
        .compose(v -> endHandedOver(conn, current))
        .compose(v -> load(conn, colleagueId))
        .compose(colleague -> confirmed && colleague.isWaitlisted()
            ? confirmFromWaitlist(conn, current.eventId(), colleague)
            : Future.succeededFuture(false))
        .compose(tookTheSeat -> tookTheSeat ? Future.<Void>succeededFuture()
            : outbox(conn, "handover_existing", current.eventId(), colleagueId,
                new JsonObject().put("fromRegistration", current.id().toString())))
        .compose(v -> confirmed ? promote(conn, current.eventId()) : Future.succeededFuture());
  }

  /** The giver's registration ends as handed over: cancelled, its ticket revoked now, its holder told. */
  private Future<Void> endHandedOver(SqlConnection conn, Registration current) {
    return conn.preparedQuery("""
            update registration set status = 'cancelled', waitlist_seq = null, cancelled_at = now(),
              handed_over_at = now(), updated_at = now()
            where id = $1""")
        .execute(Tuple.of(current.id()))
        .compose(v -> TicketService.revokeIn(conn, current.id()))
        .compose(v -> outbox(conn, "handed_over", current.eventId(), current.id(),
            new JsonObject().put("hadTicket", current.isConfirmed())));
  }

  /**
   * "Send the ticket again", asked for on the manage page: one more ticket e-mail ({@code ticket}) with the ticket as it
   * is now, for a confirmed registration of an event still on; anything else is a conflict. How often is limited by the
   * caller (web/RateLimiter), per registration.
   */
  public Future<Registration> queueTicketAgain(String token) {
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> lock(conn, id))
        .compose(r -> {
          if (!r.isConfirmed()) {
            return Future.failedFuture(new ConflictException("registration_not_confirmed", Msg.of("error.ticket.notConfirmed")));
          }
          return eventFacts(conn, r.eventId(), true).compose(event -> "cancelled".equals(event.status())
              ? Future.failedFuture(new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled")))
              : outbox(conn, "ticket", r.eventId(), r.id()).map(r));
        }));
  }

  /**
   * The SEQUENCE for a new calendar file of the registration: higher than that of every file made before it, and at
   * least {@code atLeast} (the time, so it also passes files made before this counter existed). One statement; two
   * files made at once get two numbers.
   */
  public Future<Integer> nextCalendarSequence(UUID id, int atLeast) {
    return pool.preparedQuery("""
            update registration set calendar_sequence = greatest(calendar_sequence + 1, $2)
            where id = $1 returning calendar_sequence""")
        .execute(Tuple.of(id, atLeast))
        .map(rows -> rows.size() == 0 ? atLeast : rows.iterator().next().getInteger(0));
  }

  public Future<Registration> cancelByToken(String token) {
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> cancel(conn, id, "cancelled"))
        .compose(id -> load(conn, id)));
  }

  /**
   * The person's own erasure: cancels (freeing the seat for the next in line, no e-mail: there is no address left to
   * send it to) and erases everything personal, the needs and diet they stated included ({@link Erasure.Extent#ALL}).
   */
  public Future<Void> eraseByToken(String token) {
    return pool.withTransaction(conn -> registrationIdByToken(conn, token)
        .compose(id -> cancel(conn, id, null))
        .compose(id -> Erasure.erase(conn, mails, List.of(id), Erasure.Extent.ALL)));
  }

  // ------------------------------------------------------------------------------------------------
  // Organisers
  // ------------------------------------------------------------------------------------------------

  /**
   * Everyone registered for an event, confirmed first, then the waiting list in order. It shows needs: callers log
   * the read (privacy/AuditLog) before they show it.
   */
  public Future<List<Registration>> list(long eventId) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
                select id from registration where event_id = $1
                order by case status when 'confirmed' then 0 when 'waitlisted' then 1 else 2 end, waitlist_seq, created_at""")
        .execute(Tuple.of(eventId))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("id")));
          return loadAll(conn, ids);
        }));
  }

  /**
   * An organiser removes a registration: it is cancelled (the seat frees and the next in line moves up), the person
   * gets the cancellation e-mail, and its personal data is erased by the retention job as soon as that e-mail has gone
   * (or given up): {@link se.hok.samla.registration.Retention}, with {@link Erasure.Extent#KEEP_COUNTS}. Erasing at once
   * would leave no address to tell the person at.
   */
  public Future<Void> remove(long eventId, UUID id) {
    return pool.withTransaction(conn -> belongs(conn, eventId, id)
        .compose(v -> cancel(conn, id, "cancelled"))
        .compose(v -> conn.preparedQuery("update registration set erase_requested_at = coalesce(erase_requested_at, now()) "
            + "where id = $1 and erased_at is null").execute(Tuple.of(id)))
        .mapEmpty());
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

  /** Whether this source may sign up for the event now: published, and within the registration window (staff: until it ends). */
  private static void checkOpen(EventFacts e, Source source, OffsetDateTime now) {
    if (!"published".equals(e.status())) {
      throw "cancelled".equals(e.status())
          ? new ConflictException("event_cancelled", Msg.of("error.reg.eventCancelled"))
          : new NotFoundException("event " + e.id());
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
    // The transaction's own connection: asking the pool for a second one while holding the first
    // starves the pool under load (every connection waiting for another).
    return needs(conn).map(catalogue -> chosenNeeds(event, catalogue, d));
  }

  /** {@link #checkChoices} against a catalogue already read. */
  private static List<Need> chosenNeeds(EventFacts event, List<Need> catalogue, RegistrationInput.Data d) {
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
   * letter case) is used as it is; a new one needs its sector. A name typed by the public is shown to the public
   * only once an organiser has accepted it (accepted_at); one typed by staff is accepted as it is.
   */
  private Future<Long> organisation(SqlConnection conn, RegistrationInput.Data d, Source source) {
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
          return conn.preparedQuery("insert into organisation (name, sector, accepted_at) "
                  + "values ($1, $2, case when $3 then now() end) on conflict do nothing returning id")
              .execute(Tuple.of(d.organisationName(), d.sector(), source.byStaff()))
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
   * go (unless done), new needs get a task, which the organiser hears of in the next gathered "needs to book" e-mail
   * (mail.OrganiserAlerts); needs already known are not alerted again. Returns the codes of new needs that arrived
   * too late (urgent).
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
          for (Need n : needs) {
            if (n.leadDays() != null && !known.contains(n.code())) {
              LocalDate bookBy = eventDay.minusDays(n.leadDays());
              boolean late = today.isAfter(bookBy);
              if (late) {
                urgent.add(n.code());
              }
              rows.add(Tuple.of(event.id(), id, n.code(), bookBy, late));
            }
          }
          if (rows.isEmpty()) {
            return Future.succeededFuture(urgent);
          }
          return conn.preparedQuery("insert into organiser_task (event_id, registration_id, need_code, book_by, urgent) "
                  + "values ($1, $2, $3, $4, $5) on conflict (registration_id, need_code) do nothing")
              .executeBatch(rows)
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

  /**
   * How long a manage link works after its event has ended. Computed from the event's end as it is now, not stored
   * with the link: an event moved later keeps its links working until 30 days after its new end.
   */
  public static final int LINK_DAYS_AFTER_EVENT = 30;

  /**
   * The registration a manage link opens: a link that was issued ({@link #issueToken}), not replaced by a link asked
   * for later, of a registration not erased, whose event ended less than {@link #LINK_DAYS_AFTER_EVENT} days ago.
   * Anything else is the same "not found", whether the link never existed or has stopped working.
   */
  private Future<UUID> registrationIdByToken(SqlConnection conn, String token) {
    if (token == null || token.length() > 100) {
      return Future.failedFuture(new NotFoundException("registration"));
    }
    return conn.preparedQuery("""
            select t.registration_id from manage_token t
            join registration r on r.id = t.registration_id join event e on e.id = r.event_id
            where t.token_hash = $1 and r.erased_at is null and now() < e.ends_at + make_interval(days => $2)""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), LINK_DAYS_AFTER_EVENT))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFoundException("registration"))
            : Future.succeededFuture(rows.iterator().next().getUUID("registration_id")));
  }

  /**
   * A new manage link for a registration, made for one e-mail as it is rendered (only the SHA-256 is stored, so every
   * e-mail gets its own link). The rule for which links work, so that the person's most recent e-mail always does:
   * every e-mail to the participant about their registration carries a new link, and older links keep working –
   * except when the person asks for the link again (signs up again with the address): that e-mail's link
   * ({@code replacesLinksBefore}, the time it was asked for) replaces every link issued before the request, while
   * e-mails rendered after the request keep theirs. Links also stop working when the registration is erased and
   * {@link #LINK_DAYS_AFTER_EVENT} days after the event.
   *
   * @param replacesLinksBefore null for a link that replaces nothing
   */
  public Future<String> issueToken(UUID id, OffsetDateTime replacesLinksBefore) {
    String token = newToken();
    return pool.preparedQuery("""
            with replaced as (
              delete from manage_token where registration_id = $2 and $3::timestamptz is not null and created_at < $3)
            insert into manage_token (token_hash, registration_id) values ($1, $2)""")
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), id, replacesLinksBefore))
        .map(token);
  }

  private Future<Void> outbox(SqlConnection conn, String kind, long eventId, UUID id) {
    return outbox(conn, kind, eventId, id, new JsonObject());
  }

  private Future<Void> outbox(SqlConnection conn, String kind, long eventId, UUID id, JsonObject payload) {
    return mails.add(conn, kind, eventId, id, payload);
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
            select r.*, o.name as org_name, o.sector, c.email as contact_email,
              (select count(*) from registration w where w.event_id = r.event_id and w.status = 'waitlisted'
                 and w.waitlist_seq <= r.waitlist_seq) as position
            from registration r left join organisation o on o.id = r.organisation_id
              left join group_contact c on c.id = r.contact_id
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
                        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("erased_at") != null,
                        r.getOffsetDateTime("handed_over_at"), r.getBoolean("over_capacity"), r.getString("contact_email")));
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
}
