package se.hok.samla.privacy;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import se.hok.samla.web.NotFoundException;

/**
 * "Download my data" (GDPR articles 15 and 20): everything Samla holds about one registration, read in one go. By
 * design the one place that reads every table about a person – as {@link Erasure} is the one that erases them – so
 * that a table added later is added to both. Serialised as it is for the JSON download (field names in English,
 * times ISO-8601); the page shows the same in words.
 */
public final class PersonalData {
  private final Pool pool;

  public PersonalData(Pool pool) {
    this.pool = pool;
  }

  public record Export(OffsetDateTime exportedAt, EventPart event, RegistrationPart registration, List<NeedPart> needs,
                       List<SessionPart> sessions, List<TicketPart> tickets, List<CheckinPart> checkins,
                       FeedbackPart feedback, List<TaskPart> organiserTasks, List<MailPart> emails) {}

  public record EventPart(long id, String title, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt) {}

  public record RegistrationPart(UUID id, String status, Integer waitlistPosition, String name, String email,
                                 String phone, String organisation, String sector, String roleTitle, boolean companion,
                                 List<String> diet, String language, String source, OffsetDateTime consentAt,
                                 OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime confirmedAt,
                                 OffsetDateTime cancelledAt, String participantKey) {}

  /** A stated need, with its label in both languages and the free text given with it. */
  public record NeedPart(String code, String label, String labelEn, String detail) {}

  public record SessionPart(long id, String title, String titleEn, OffsetDateTime startsAt, OffsetDateTime endsAt,
                            boolean holdsSeat) {}

  /** A ticket: its reference (the signed code itself is the key to the door, and is in the ticket e-mail). */
  public record TicketPart(String reference, OffsetDateTime issuedAt, OffsetDateTime revokedAt) {}

  /** An admission at the door: to the event (session null) or one of its sessions. */
  public record CheckinPart(OffsetDateTime at, String session, String sessionEn, String method,
                            OffsetDateTime undoneAt) {}

  public record FeedbackPart(int rating, String mostValuable, String improve, String futureInterest,
                             OffsetDateTime submittedAt, OffsetDateTime updatedAt) {}

  /** A need the organiser must book in advance for this person, and by when. */
  /** state: to_book, booked, unavailable (could not be arranged), not_needed; note: the organiser's, about the person. */
  public record TaskPart(String need, String needEn, LocalDate bookBy, OffsetDateTime doneAt, String state, String note) {}

  /** An e-mail about this registration: what kind, to whom (null until sent), when queued and when sent. */
  public record MailPart(String kind, String recipient, OffsetDateTime createdAt, OffsetDateTime sentAt,
                         String outcome) {}

  public Future<Export> of(UUID registrationId) {
    Tuple id = Tuple.of(registrationId);
    return pool.withConnection(conn -> conn.preparedQuery("""
            select r.*, o.name as org_name, o.sector,
              (select count(*) from registration w where w.event_id = r.event_id and w.status = 'waitlisted'
                 and w.waitlist_seq <= r.waitlist_seq) as position,
              e.title_sv, e.title_en, e.starts_at, e.ends_at, now() as exported_at,
              encode(r.participant_key, 'hex') as participant_key_hex
            from registration r join event e on e.id = r.event_id left join organisation o on o.id = r.organisation_id
            where r.id = $1 and r.erased_at is null""")
        .execute(id)
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFoundException("registration"));
          }
          Row r = rows.iterator().next();
          String status = r.getString("status");
          EventPart event = new EventPart(r.getLong("event_id"), r.getString("title_sv"), r.getString("title_en"),
              r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"));
          RegistrationPart registration = new RegistrationPart(registrationId, status,
              "waitlisted".equals(status) ? r.getLong("position").intValue() : null, r.getString("name"),
              r.getString("email"), r.getString("phone"), r.getString("org_name"), r.getString("sector"),
              r.getString("role_title"), r.getBoolean("companion"), List.of(r.getArrayOfStrings("diet")),
              r.getString("language"), r.getString("source"), r.getOffsetDateTime("consent_at"),
              r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("confirmed_at"),
              r.getOffsetDateTime("cancelled_at"), r.getString("participant_key_hex"));
          return parts(conn, id).map(p -> new Export(r.getOffsetDateTime("exported_at"), event, registration,
              p.needs, p.sessions, p.tickets, p.checkins, p.feedback, p.tasks, p.emails));
        }));
  }

  private record Parts(List<NeedPart> needs, List<SessionPart> sessions, List<TicketPart> tickets,
                       List<CheckinPart> checkins, FeedbackPart feedback, List<TaskPart> tasks, List<MailPart> emails) {}

  private static Future<Parts> parts(SqlConnection conn, Tuple id) {
    Future<List<NeedPart>> needs = list(conn, """
            select rn.need_code, n.label_sv, n.label_en, rn.detail from registration_need rn
            join need n on n.code = rn.need_code where rn.registration_id = $1 order by n.sort_order, n.code""", id,
        r -> new NeedPart(r.getString("need_code"), r.getString("label_sv"), r.getString("label_en"), r.getString("detail")));
    Future<List<SessionPart>> sessions = needs.compose(v -> list(conn, """
            select s.id, s.title_sv, s.title_en, s.starts_at, s.ends_at, rs.holds_seat from registration_session rs
            join event_session s on s.id = rs.session_id where rs.registration_id = $1 order by s.starts_at, s.id""", id,
        r -> new SessionPart(r.getLong("id"), r.getString("title_sv"), r.getString("title_en"),
            r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"), r.getBoolean("holds_seat"))));
    Future<List<TicketPart>> tickets = sessions.compose(v -> list(conn,
        "select reference, issued_at, revoked_at from ticket where registration_id = $1 order by issued_at, id", id,
        r -> new TicketPart(r.getString("reference"), r.getOffsetDateTime("issued_at"), r.getOffsetDateTime("revoked_at"))));
    Future<List<CheckinPart>> checkins = tickets.compose(v -> list(conn, """
            select c.checked_in_at, s.title_sv, s.title_en, c.method, c.undone_at from checkin c
            left join event_session s on s.id = c.session_id where c.registration_id = $1 order by c.checked_in_at, c.id""", id,
        r -> new CheckinPart(r.getOffsetDateTime("checked_in_at"), r.getString("title_sv"), r.getString("title_en"),
            r.getString("method"), r.getOffsetDateTime("undone_at"))));
    Future<List<FeedbackPart>> feedback = checkins.compose(v -> list(conn, """
            select rating, most_valuable, improve, future_interest, submitted_at, updated_at from feedback
            where registration_id = $1""", id,
        r -> new FeedbackPart(r.getInteger("rating"), r.getString("most_valuable"), r.getString("improve"),
            r.getString("future_interest"), r.getOffsetDateTime("submitted_at"), r.getOffsetDateTime("updated_at"))));
    Future<List<TaskPart>> tasks = feedback.compose(v -> list(conn, """
            select n.label_sv, n.label_en, t.book_by, t.done_at, t.state, t.note from organiser_task t join need n on n.code = t.need_code
            where t.registration_id = $1 order by t.book_by, n.sort_order""", id,
        r -> new TaskPart(r.getString("label_sv"), r.getString("label_en"), r.getLocalDate("book_by"),
            r.getOffsetDateTime("done_at"), r.getString("state"), r.getString("note"))));
    // The registration's own e-mails, and the organiser's gathered "needs to book" e-mails that told of its needs
    // (without a name): those list it in their payload, not as their registration.
    Future<List<MailPart>> emails = tasks.compose(v -> list(conn, """
            select o.kind, o.recipient, o.created_at, o.sent_at, o.outcome from outbox o, registration r
            where r.id = $1
              and (o.registration_id = r.id
                   or (o.kind = 'organiser_alert' and o.registration_id is null and o.event_id = r.event_id
                       and jsonb_typeof(o.payload -> 'alerts') = 'array'
                       and o.payload -> 'alerts' @> jsonb_build_array(jsonb_build_object('registration', r.id))))
            order by o.id""", id,
        r -> new MailPart(r.getString("kind"), r.getString("recipient"), r.getOffsetDateTime("created_at"),
            r.getOffsetDateTime("sent_at"), r.getString("outcome"))));
    return emails.map(e -> new Parts(needs.result(), sessions.result(), tickets.result(), checkins.result(),
        feedback.result().isEmpty() ? null : feedback.result().get(0), tasks.result(), e));
  }

  private static <T> Future<List<T>> list(SqlConnection conn, String sql, Tuple args, Function<Row, T> map) {
    return conn.preparedQuery(sql).execute(args).map((RowSet<Row> rows) -> {
      List<T> out = new ArrayList<>();
      rows.forEach(r -> out.add(map.apply(r)));
      return out;
    });
  }
}
