package se.hok.samla.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;
import se.hok.samla.tickets.TicketService;

/**
 * Every read of participants' identities or needs writes one audit row saying who, which event, what (which list,
 * with or without needs, how many people), when and from where; refused reads and figures write none. Admins read
 * the log, filtered, and as CSV; rows go after a year.
 */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
class AuditLogTest {
  static TestApp app;
  static StaffAccount organiser;
  static StaffAccount door;
  static long event;
  static String asta;
  static String bruno;

  @BeforeAll
  static void start() {
    organiser = StaffAccount.create(app, "organiser");
    door = StaffAccount.create(app, "checkin");
    // Today: the door lets people in from 12 hours before the start.
    event = PublishedEvent.by(app, organiser.token()).title("Samverkanskonferens")
        .startsAt(java.time.OffsetDateTime.now().plusHours(2).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)).reminderDays(0)
        .publishId();
    app.assign(event, door.token(), "door");
    asta = register("Asta Audit", "asta@example.org", new JsonObject().put("consent", true).put("needs", new JsonArray()
        .add(new JsonObject().put("code", "teckensprakstolk"))
        .add(new JsonObject().put("code", "specialkost").put("detail", "jordnötter"))));
    bruno = register("Bruno Behovslös", "bruno@example.org", new JsonObject());
    // Asta's interpreter is for the organiser to book: the "needs to book" e-mail is gathered now, as the app's job
    // (every few seconds) would, so the mail status page shows it whenever the test reads it, and the job has nothing
    // left to add meanwhile.
    SignUps.gatherOrganiserAlerts(app);
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'organiser_alert'"
        + " and event_id = " + event));
    // Their tickets, as the ticket e-mails would have made them (the mail worker does not run here).
    TicketService tickets = new TicketService(app.vertx, app.running.database().pool());
    for (String id : List.of(asta, bruno)) {
      await(tickets.current(java.util.UUID.fromString(id), event, false));
    }
    // Two answers to the survey: one with a comment, one with a rating only.
    Db.exec(app.databaseUrl, "insert into feedback (registration_id, event_id, rating, most_valuable) values ('" + asta + "', "
        + event + ", 5, 'Samtalen')");
    Db.exec(app.databaseUrl, "insert into feedback (registration_id, event_id, rating) values ('" + bruno + "', " + event + ", 4)");
  }

  /** Signed up by the event's organiser (the public's answer names no registration). */
  static String register(String name, String email, JsonObject extra) {
    return SignUps.byOrganiser(app, organiser.token(), event,
        new JsonObject().put("name", name).put("email", email).mergeIn(extra)).getString("id");
  }

  /** An audit row as the test reads it back. */
  record Row(long staff, String action, long event, boolean withNeeds, Integer people, String address, String via) {}

  /** Does the read, checks it was answered, and returns the audit rows it wrote. */
  static List<Row> rowsOf(Supplier<Integer> read) {
    long before = maxId();
    int status = read.get();
    assertTrue(status == 200 || status == 204, "the read was answered: " + status);
    List<Row> rows = new ArrayList<>();
    List<Object> ids = Db.column(app.databaseUrl, "select id from audit_log where id > " + before + " order by id");
    for (Object id : ids) {
      String where = " from audit_log where id = " + id;
      rows.add(new Row(number("select staff_user_id" + where), (String) one("select action" + where),
          number("select event_id" + where), (Boolean) one("select with_needs" + where),
          (Integer) one("select people" + where), (String) one("select client_address" + where),
          (String) one("select via" + where)));
    }
    return rows;
  }

  static void readOnce(String what, Supplier<Integer> read, StaffAccount who, String action, boolean withNeeds, int people,
                       String via) {
    List<Row> rows = rowsOf(read);
    assertEquals(1, rows.size(), what + ": one row, got " + rows);
    Row r = rows.get(0);
    assertEquals(new Row(who.id(), action, event, withNeeds, people, r.address(), via), r, what);
    assertTrue(r.address() != null && !r.address().isBlank(), what + ": from which address");
  }

  static int api(StaffAccount who, String path) {
    return await(app.client.get("/api/v1" + path).putHeader("Authorization", "Bearer " + who.token()).send()).statusCode();
  }

  static int page(StaffAccount who, String path) {
    return who.session().get(path).statusCode();
  }

  @Test
  void eachReadOfIdentitiesOrNeedsWritesOneRowThatSaysWhatWasRead() {
    String e = "/arrangor/evenemang/" + event;
    readOnce("the registrations list (API)", () -> api(organiser, "/events/" + event + "/registrations"),
        organiser, "registrations", true, 2, "api");
    readOnce("the registrations page", () -> page(organiser, e + "/anmalningar"), organiser, "registrations", true, 2, "page");
    readOnce("the CSV with needs", () -> page(organiser, e + "/anmalningar.csv?needs=true"),
        organiser, "registrations_csv", true, 2, "page");
    readOnce("the CSV without needs", () -> page(organiser, e + "/anmalningar.csv"),
        organiser, "registrations_csv", false, 2, "page");
    readOnce("the diet list", () -> page(organiser, e + "/kost"), organiser, "diet_list", true, 1, "page");
    readOnce("the needs summary (API)", () -> api(organiser, "/events/" + event + "/needs-summary"),
        organiser, "needs_summary", true, 1, "api");
    readOnce("a search at the door", () -> api(door, "/events/" + event + "/attendees?q=Asta"), door, "door_search", false, 1, "api");
    readOnce("a door device's sync", () -> api(door, "/events/" + event + "/checkin-sync"), door, "door_sync", true, 2, "api");
    readOnce("a scan that shows at-door needs", () -> scan(asta, "Entré", false),
        door, "door_scan", true, 1, "api");
    assertEquals(List.of(), rowsOf(() -> scan(bruno, "Entré", false)), "a scan that shows no needs reads nothing to log");
    readOnce("the follow-up's participant list (CSV)", () -> page(organiser, "/uppfoljning/evenemang/" + event + "/export/deltagare.csv"),
        organiser, "followup_participants_csv", false, 2, "page");
    readOnce("the follow-up's participant list (XLSX)", () -> page(organiser, "/uppfoljning/evenemang/" + event
        + "/export/deltagare.xlsx"), organiser, "followup_participants_xlsx", false, 2, "page");
    // Three e-mails (Asta's, Bruno's and the organiser's "needs to book"): two people, the participants it names.
    readOnce("the mail status page", () -> page(organiser, e + "/e-post"), organiser, "mail_status", false, 2, "page");
    readOnce("the feedback comments", () -> page(organiser, e + "/utvardering"), organiser, "feedback_comments", false, 1, "page");
    readOnce("the feedback CSV", () -> page(organiser, e + "/utvardering.csv"), organiser, "feedback_csv", false, 1, "page");
    // An offline device admitted Asta again: a conflict, which the door page names.
    readOnce("the offline replay shows her needs again", () -> scan(asta, "Surfplatta", true), door, "door_scan", true, 1, "api");
    readOnce("the door page's conflicts", () -> page(door, e + "/incheckning"), door, "door_conflicts", false, 1, "page");
  }

  @Test
  void figuresAndRefusedReadsWriteNothing() {
    StaffAccount viewer = StaffAccount.create(app, "viewer");
    StaffAccount stranger = StaffAccount.create(app, "organiser");
    assertEquals(List.of(), rowsOf(() -> page(viewer, "/uppfoljning/evenemang/" + event)));
    assertEquals(List.of(), rowsOf(() -> page(viewer, "/arrangor/evenemang/" + event + "/utvardering")), "figures, no comments");
    assertEquals(List.of(), rowsOf(() -> api(viewer, "/events/" + event + "/turnout")));
    long before = maxId();
    assertEquals(403, page(viewer, "/uppfoljning/evenemang/" + event + "/export/deltagare.csv"));
    assertEquals(403, page(stranger, "/arrangor/evenemang/" + event + "/anmalningar"));
    assertEquals(403, api(stranger, "/events/" + event + "/registrations"));
    assertEquals(403, api(door, "/events/" + event + "/needs-summary"));
    assertEquals(before, maxId(), "refused: nothing read, nothing logged");
  }

  @Test
  void adminsReadTheLogFilteredAndAsCsv() {
    StaffAccount other = StaffAccount.create(app, "organiser");
    long otherEvent = PublishedEvent.by(app, other.token()).title("Annat evenemang").publishId();
    assertEquals(200, api(other, "/events/" + otherEvent + "/registrations"));
    assertEquals(200, api(door, "/events/" + event + "/checkin-sync"));
    PageSession admin = PageSession.signedIn(app, TestApp.ADMIN_EMAIL, TestApp.ADMIN_PASSWORD);

    String all = rows(admin.get("/admin/logg").bodyAsString());
    assertTrue(all.contains("Biljettlista till dörrenhet") && all.contains("Annat evenemang"), all);
    String byEvent = admin.get("/admin/logg?evenemang=" + otherEvent).bodyAsString();
    assertTrue(byEvent.contains("Visar 1 av 1 rader"), byEvent);
    assertFalse(rows(byEvent).contains("Biljettlista till dörrenhet"));
    String byPerson = rows(admin.get("/admin/logg?person=" + door.id()).bodyAsString());
    assertFalse(byPerson.contains(other.email()));
    assertTrue(byPerson.contains(door.email()));
    String today = LocalDate.now(ZoneId.of("Europe/Stockholm")).toString();
    String tomorrow = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(1).toString();
    assertTrue(rows(admin.get("/admin/logg?fran=" + today + "&till=" + today).bodyAsString()).contains(other.email()));
    assertTrue(admin.get("/admin/logg?fran=" + tomorrow).bodyAsString().contains("Visar 0 av 0 rader"));
    HttpResponse<Buffer> bad = admin.get("/admin/logg?fran=igår&evenemang=ett");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.bodyAsString().contains("href=\"#fran\"") && bad.bodyAsString().contains("href=\"#evenemang\""));
    assertEquals(400, admin.get("/admin/logg.csv?till=2024-13-01").statusCode());

    HttpResponse<Buffer> csv = admin.get("/admin/logg.csv?person=" + door.id());
    assertEquals(200, csv.statusCode());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    String text = new String(csv.body().getBytes(), StandardCharsets.UTF_8);
    String[] lines = text.substring(1).split("\r\n");
    assertTrue(lines[0].startsWith("Tid;Vem;E-post;Evenemang;Vad;Med behov;Personer;Adress;Via"), lines[0]);
    long doorRows = ((Number) Db.column(app.databaseUrl, "select count(*) from audit_log where staff_user_id = " + door.id())
        .get(0)).longValue();
    assertEquals(doorRows + 1, lines.length, text);

    assertEquals(403, door.session().get("/admin/logg").statusCode());
    assertEquals(403, organiser.session().get("/admin/logg.csv").statusCode());
  }

  @Test
  void rowsAreKeptAYearThenDeletedWhateverTheNumberOfInstances() {
    Db.exec(app.databaseUrl, "insert into audit_log (staff_user_id, action, event_id, at) select " + organiser.id()
        + ", 'registrations', " + event + ", now() - interval '400 days' from generate_series(1, 2500)");
    Db.exec(app.databaseUrl, "insert into audit_log (staff_user_id, action, event_id, at) values (" + organiser.id()
        + ", 'diet_list', " + event + ", now() - interval '300 days')");
    AuditLog a = new AuditLog(app.running.database().pool());
    AuditLog b = new AuditLog(app.running.database().pool());
    // Two instances at once (and the app's own hourly run, which may be at it too): none waits for or fails the other.
    List<Integer> deleted = await(Future.all(a.deleteExpired(), b.deleteExpired()).map(all -> List.of(
        all.<Integer>resultAt(0), all.<Integer>resultAt(1))));
    assertTrue(deleted.get(0) + deleted.get(1) <= 2500, deleted.toString());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from audit_log where at < now() - interval '365 days'"));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from audit_log where at < now() - interval '200 days'"),
        "younger than a year: kept");
  }

  /** A scan at the door by registration (a name picked from the list), as the door's device sends it. */
  static int scan(String registrationId, String device, boolean offline) {
    JsonObject body = new JsonObject().put("eventId", event).put("registrationId", registrationId).put("deviceId", device)
        .put("admittedOffline", offline);
    return await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + door.token())
        .sendJsonObject(body)).statusCode();
  }

  /** The log's table rows, without the filter's lists of events and people. */
  static String rows(String html) {
    int start = html.indexOf("<tbody>");
    return start < 0 ? "" : html.substring(start, html.indexOf("</tbody>", start));
  }

  static long maxId() {
    return number("select coalesce(max(id), 0) from audit_log");
  }

  static long number(String sql) {
    return ((Number) one(sql)).longValue();
  }

  static Object one(String sql) {
    return Db.column(app.databaseUrl, sql).get(0);
  }
}
