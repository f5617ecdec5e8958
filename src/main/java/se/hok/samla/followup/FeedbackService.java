package se.hok.samla.followup;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import se.hok.samla.web.ConflictException;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Msg;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Tokens;
import se.hok.samla.web.ValidationException;

/**
 * The feedback survey after an event: who may answer (a registration that attended, i.e. has a check-in that is not
 * undone), until when (the event's {@code feedback_closes_at}, by default 14 days after it ends), the answers, the
 * results per event, the after-event thank-you that carries the link, and the erasure of the comments. All SQL about
 * feedback lives here.
 *
 * <p>The participant reaches the survey through a feedback token of its own (table {@code feedback_token}, stored as
 * SHA-256), not the manage token: the survey link may be forwarded without handing over cancelling or erasing.
 */
public final class FeedbackService {
  /** How long the survey stays open after the event ends, unless the organiser sets another last day. */
  public static final int DEFAULT_OPEN_DAYS = 14;
  /** How long after the end the thank-you goes out: time for late check-ins from offline door devices to arrive. */
  static final int THANKS_AFTER_HOURS = 2;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  private static final String CLOSES_AT = "coalesce(e.feedback_closes_at, e.ends_at + make_interval(days => "
      + DEFAULT_OPEN_DAYS + "))";
  /** Attended: the view attendance (sql/V12), the one definition the follow-up uses too. */
  private static final String ATTENDED = "exists (select 1 from attendance a where a.registration_id = r.id"
      + " and a.event_id = r.event_id)";

  private final Pool pool;

  public FeedbackService(Pool pool) {
    this.pool = pool;
  }

  /** One person's answer. Comments are null when not given, or erased since. */
  public record Answer(int rating, String mostValuable, String improve, String futureInterest) {}

  /**
   * The survey as one participant sees it.
   *
   * @param attended whether they were checked in (only they may answer)
   * @param open     whether answers are still taken (not past closesAt, event not cancelled)
   * @param answer   their answer so far, or null
   */
  public record Survey(UUID registrationId, long eventId, boolean attended, boolean open, OffsetDateTime closesAt,
                       Answer answer) {}

  /** The survey link of a thank-you e-mail: the path (with a new token) and when the survey closes. */
  public record Link(String path, OffsetDateTime closesAt) {}

  // ------------------------------------------------------------------------------------------------ participants

  /** The survey behind a feedback token; a 404 for an unknown token or an erased registration. */
  Future<Survey> survey(String token) {
    return pool.withConnection(conn -> facts(conn, token, false).compose(f -> answer(conn, f.registrationId())
        .map(a -> new Survey(f.registrationId(), f.eventId(), f.attended(), f.open(), f.closesAt(), a))));
  }

  /**
   * Saves (or replaces) the answer. Fails with a ValidationException (fields rating, mostValuable, improve,
   * futureInterest), a ConflictException {@code feedback_closed} or {@code feedback_not_attended}, or NotFound.
   */
  Future<Answer> save(String token, FeedbackInput input) {
    FeedbackInput.Data d;
    try {
      d = input.validate();
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> facts(conn, token, true).compose(f -> {
      if (!f.attended()) {
        return Future.failedFuture(new ConflictException("feedback_not_attended", Msg.of("feedback.error.notAttended")));
      }
      if (!f.open()) {
        return Future.failedFuture(new ConflictException("feedback_closed", Msg.of("feedback.error.closed")));
      }
      return conn.preparedQuery("""
              insert into feedback (registration_id, event_id, rating, most_valuable, improve, future_interest)
              values ($1, $2, $3, $4, $5, $6)
              on conflict (registration_id) do update set rating = excluded.rating, most_valuable = excluded.most_valuable,
                improve = excluded.improve, future_interest = excluded.future_interest, updated_at = now()""")
          .execute(Tuple.tuple().addUUID(f.registrationId()).addLong(f.eventId()).addShort((short) d.rating())
              .addString(d.mostValuable()).addString(d.improve()).addString(d.futureInterest()))
          .map(rows -> new Answer(d.rating(), d.mostValuable(), d.improve(), d.futureInterest()));
    }));
  }

  private record Facts(UUID registrationId, long eventId, boolean attended, boolean open, OffsetDateTime closesAt) {}

  /**
   * What the token opens. {@code lock}: the registration row is share-locked, so an erasure running at the same time
   * either finishes first (and this sees it erased) or waits until the answer is saved (and then erases its comments).
   */
  private static Future<Facts> facts(SqlConnection conn, String token, boolean lock) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Future.failedFuture(new NotFoundException("feedback"));
    }
    return conn.preparedQuery("select r.id, r.event_id, " + ATTENDED + " as attended, " + CLOSES_AT + " as closes_at, "
            + "(now() < " + CLOSES_AT + " and e.status <> 'cancelled') as open "
            + "from feedback_token t join registration r on r.id = t.registration_id join event e on e.id = r.event_id "
            + "where t.token_hash = $1 and r.erased_at is null" + (lock ? " for share of r" : ""))
        .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("feedback"));
          }
          Row r = rows.iterator().next();
          return Future.succeededFuture(new Facts(r.getUUID("id"), r.getLong("event_id"), r.getBoolean("attended"),
              r.getBoolean("open"), r.getOffsetDateTime("closes_at")));
        });
  }

  private static Future<Answer> answer(SqlClient conn, UUID registrationId) {
    return conn.preparedQuery("select rating, most_valuable, improve, future_interest from feedback where registration_id = $1")
        .execute(Tuple.of(registrationId))
        .map(rows -> rows.size() == 0 ? null : answer(rows.iterator().next()));
  }

  private static Answer answer(Row r) {
    return new Answer(r.getInteger("rating"), r.getString("most_valuable"), r.getString("improve"),
        r.getString("future_interest"));
  }

  // ------------------------------------------------------------------------------------------------ the thank-you

  /**
   * Queues the after-event thank-you of each published event that ended at least {@link #THANKS_AFTER_HOURS} hours
   * ago and whose survey is still open, once: the event row is claimed with SKIP LOCKED and marked in the statement
   * that writes the outbox rows, so two instances never queue it twice. One {@code thank_you} per registration that
   * attended. Returns how many e-mails were queued.
   */
  Future<Integer> queueThankYous() {
    return pool.query("""
            with due as (
              select e.id from event e
              where e.status = 'published' and e.thanks_queued_at is null
                and e.ends_at <= now() - make_interval(hours => %d) and %s > now()
              order by e.ends_at limit 20
              for update skip locked),
            marked as (update event set thanks_queued_at = now() from due where event.id = due.id returning event.id)
            insert into outbox (kind, event_id, registration_id)
            select 'thank_you', r.event_id, r.id from registration r join marked m on m.id = r.event_id
            where r.status <> 'cancelled' and r.erased_at is null and %s""".formatted(THANKS_AFTER_HOURS, CLOSES_AT, ATTENDED))
        .execute()
        .map(rows -> rows.rowCount());
  }

  /**
   * A new survey link for the thank-you e-mail, rendered at send time: empty when the registration should get none
   * (it did not attend, was cancelled or erased, the event was cancelled, or the survey has closed).
   */
  public Future<Optional<Link>> thankYouLink(UUID registrationId) {
    return pool.withTransaction(conn -> conn.preparedQuery("select " + CLOSES_AT + " as closes_at from registration r "
            + "join event e on e.id = r.event_id where r.id = $1 and r.status <> 'cancelled' and r.erased_at is null "
            + "and e.status = 'published' and now() < " + CLOSES_AT + " and " + ATTENDED)
        .execute(Tuple.of(registrationId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<Link>empty());
          }
          OffsetDateTime closesAt = rows.iterator().next().getOffsetDateTime("closes_at");
          String token = Tokens.random(24);
          return conn.preparedQuery("insert into feedback_token (token_hash, registration_id) values ($1, $2)")
              .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), registrationId))
              .map(v -> Optional.of(new Link(path(token), closesAt)));
        }));
  }

  /** The survey page of a token. */
  static String path(String token) {
    return "/utvardering/" + token;
  }

  // ------------------------------------------------------------------------------------------------ organisers

  /**
   * The results of one event.
   *
   * @param counts   answers per rating, index 0 = rating 1
   * @param mean     the mean rating, or null without answers
   * @param attended how many registrations were checked in
   * @param lastDay  the last day to answer (Stockholm date), and whether the organiser set it
   * @param answers  every answer, in the order given, without who gave it
   */
  public record Results(long eventId, List<Long> counts, Double mean, long attended, OffsetDateTime closesAt,
                        boolean open, LocalDate lastDay, boolean lastDaySet, List<Answer> answers) {}

  Future<Results> results(long eventId) {
    return pool.withConnection(conn -> conn.preparedQuery("select e.id, e.feedback_closes_at is not null as set, "
                + CLOSES_AT + " as closes_at, (now() < " + CLOSES_AT + " and e.status <> 'cancelled') as open, "
                + "(select count(*) from attendance a where a.event_id = e.id) as attended "
                + "from event e where e.id = $1")
            .execute(Tuple.of(eventId))
            .compose(eventRows -> {
              if (eventRows.size() == 0) {
                return Future.failedFuture(new NotFoundException("event " + eventId));
              }
              Row ev = eventRows.iterator().next();
              return conn.preparedQuery("""
                      select rating, most_valuable, improve, future_interest from feedback where event_id = $1
                      order by submitted_at, registration_id""")
                  .execute(Tuple.of(eventId))
                  .map(rows -> {
                    long[] counts = new long[5];
                    long sum = 0;
                    List<Answer> answers = new ArrayList<>();
                    for (Row r : rows) {
                      Answer a = answer(r);
                      answers.add(a);
                      counts[a.rating() - 1]++;
                      sum += a.rating();
                    }
                    List<Long> list = new ArrayList<>();
                    for (long n : counts) {
                      list.add(n);
                    }
                    OffsetDateTime closesAt = ev.getOffsetDateTime("closes_at");
                    return new Results(eventId, list, answers.isEmpty() ? null : (double) sum / answers.size(),
                        ev.getLong("attended"), closesAt, ev.getBoolean("open"), lastDay(closesAt), ev.getBoolean("set"),
                        answers);
                  });
            }));
  }

  /**
   * Sets the last day to answer (inclusive, Stockholm time), or back to the default when {@code lastDay} is blank.
   * The value is the form's {@code yyyy-mm-dd}; a wrong one is a ValidationException on field {@code lastDay}.
   */
  Future<Void> setLastDay(long eventId, String lastDay) {
    OffsetDateTime closesAt = null;
    String v = lastDay == null ? "" : lastDay.strip();
    if (!v.isEmpty()) {
      try {
        LocalDate day = LocalDate.parse(v);
        if (day.getYear() < 2000 || day.getYear() > 2100) {
          return Future.failedFuture(ValidationException.of("lastDay", "feedback.error.lastDay"));
        }
        closesAt = day.plusDays(1).atStartOfDay(STOCKHOLM).toOffsetDateTime();
      } catch (java.time.format.DateTimeParseException e) {
        return Future.failedFuture(ValidationException.of("lastDay", "feedback.error.lastDay"));
      }
    }
    return pool.preparedQuery("update event set feedback_closes_at = $2 where id = $1")
        .execute(Tuple.tuple().addLong(eventId).addOffsetDateTime(closesAt))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFoundException("event " + eventId)));
  }

  /** The last day on which answers are taken: the Stockholm date of the moment just before closing. */
  static LocalDate lastDay(OffsetDateTime closesAt) {
    return closesAt.minusNanos(1).atZoneSameInstant(STOCKHOLM).toLocalDate();
  }

  // ------------------------------------------------------------------------------------------------ erasure

  /**
   * Erases the feedback comments (personal data) of these registrations, and their survey links, in the caller's
   * transaction; the ratings stay for the counts. Called wherever a registration's personal data is erased.
   */
  public static Future<Void> eraseComments(SqlClient conn, List<UUID> registrationIds) {
    if (registrationIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple ids = Tuple.tuple().addArrayOfUUID(registrationIds.toArray(UUID[]::new));
    return conn.preparedQuery("update feedback set most_valuable = null, improve = null, future_interest = null, "
            + "updated_at = now() where registration_id = any($1)").execute(ids)
        .compose(v -> conn.preparedQuery("delete from feedback_token where registration_id = any($1)").execute(ids))
        .mapEmpty();
  }
}
