package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;

/**
 * Tasks with an outcome (issue 20): the organiser marks a need booked, could not be arranged or not needed, on the
 * registrations page and through the API; the participant hears of booked and could-not-be-arranged once each, in
 * their language; an unknown state is a field error; the list filters by state and shows overdue tasks.
 */
class TaskOutcomesTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static TestApp app;
  private static StaffAccount organiser;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    organiser = StaffAccount.create(app, "organiser");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void markingANeedBookedThroughTheApiTellsTheParticipantOnceInTheirLanguage() {
    long event = event("Dialogmöte med tolk", 40);
    String email = "deaf.member@example.org";
    String registration = signUp(event, "Dana Döv", email, "en");
    SignUps.awaitMailSettled(app, registration);

    long auditBefore = audits(event);
    JsonObject list = get("/events/" + event + "/tasks").bodyAsJsonObject();
    assertEquals(auditBefore + 1, audits(event), "reading the tasks (needs next to names) is logged");
    JsonArray tasks = list.getJsonArray("tasks");
    assertEquals(1, tasks.size(), list.encodePrettily());
    JsonObject task = tasks.getJsonObject(0);
    assertEquals("teckensprakstolk", task.getString("need"));
    assertEquals("Dana Döv", task.getString("participant"));
    assertEquals("to_book", task.getString("state"));
    long id = task.getLong("id");

    // Booked, booked again (a re-sent call), back to "to book" and booked once more: one e-mail.
    assertTrue(put(event, id, "booked", "Tolkcentralen, ordernr 4711").bodyAsJsonObject().getBoolean("participantTold"));
    assertFalse(put(event, id, "booked", "Tolkcentralen, ordernr 4711").bodyAsJsonObject().getBoolean("participantTold"));
    assertFalse(put(event, id, "to_book", null).bodyAsJsonObject().getBoolean("participantTold"));
    assertFalse(put(event, id, "booked", null).bodyAsJsonObject().getBoolean("participantTold"));
    SignUps.awaitMailSettled(app, registration);
    List<MimeMessage> booked = withSubject(email, "Booked for");
    assertEquals(1, booked.size(), "exactly one e-mail that the need is booked");
    String text = Mails.text(booked.get(0), "text/plain");
    assertTrue(text.contains("The organiser has booked what you asked for: Sign-language interpreter"), text);
    assertTrue(text.contains("You do not need to do anything"), text);
    assertFalse(text.contains("4711"), "the organiser's note is theirs, not the participant's");

    // It fell through: that is news, told once, with what to do now.
    HttpResponse<Buffer> unavailable = put(event, id, "unavailable", "Ingen tolk ledig den dagen");
    assertTrue(unavailable.bodyAsJsonObject().getBoolean("participantTold"));
    SignUps.awaitMailSettled(app, registration);
    List<MimeMessage> notArranged = withSubject(email, "A need could not be arranged");
    assertEquals(1, notArranged.size());
    String what = Mails.text(notArranged.get(0), "text/plain");
    assertTrue(what.contains("Contact the organiser at arrangor@example.org"), what);
    assertTrue(what.contains("cancel with the link below"), what);
    assertEquals(2, Mails.to(app, email).stream().filter(m -> subject(m).contains("Booked for")
        || subject(m).contains("could not be arranged")).count(), "two outcomes, two e-mails, no more");

    // The list filters by state, and says the participant was told.
    JsonArray onlyUnavailable = get("/events/" + event + "/tasks?state=unavailable").bodyAsJsonObject().getJsonArray("tasks");
    assertEquals(1, onlyUnavailable.size());
    assertEquals("Ingen tolk ledig den dagen", onlyUnavailable.getJsonObject(0).getString("note"));
    assertTrue(onlyUnavailable.getJsonObject(0).getBoolean("participantTold"));
    assertEquals(0, get("/events/" + event + "/tasks?state=booked").bodyAsJsonObject().getJsonArray("tasks").size());
  }

  @Test
  void anUnknownStateIsAFieldErrorAndChangesNothing() {
    long event = event("Seminarium om skrivtolkning", 40);
    signUp(event, "Sixten Skrivtolk", "sixten@example.org", "sv");
    long id = get("/events/" + event + "/tasks").bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getLong("id");

    HttpResponse<Buffer> r = put(event, id, "bokad", null);
    assertEquals(422, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getJsonObject("fields").containsKey("state"), r.bodyAsString());
    HttpResponse<Buffer> filter = await(app.client.get("/api/v1/events/" + event + "/tasks?state=klart")
        .putHeader("Authorization", "Bearer " + organiser.token()).send());
    assertEquals(422, filter.statusCode(), filter.bodyAsString());
    HttpResponse<Buffer> longNote = put(event, id, "unavailable", "x".repeat(1001));
    assertEquals(422, longNote.statusCode());
    assertTrue(longNote.bodyAsJsonObject().getJsonObject("fields").containsKey("note"), longNote.bodyAsString());
    assertEquals("to_book", Db.column(app.databaseUrl, "select state from organiser_task where id = " + id).get(0));

    // Another event's task is not found through this event.
    long other = event("Ett annat evenemang", 40);
    assertEquals(404, put(other, id, "booked", null).statusCode());

    // On the page: the Swedish message beside the field and in the error summary.
    String page = "/arrangor/evenemang/" + event + "/anmalningar";
    HttpResponse<Buffer> onPage = organiser.session().post(page, page + "/uppgifter/" + id,
        MultiMap.caseInsensitiveMultiMap().add("state", "bokad").add("note", ""));
    assertEquals(422, onPage.statusCode());
    assertTrue(onPage.bodyAsString().contains("<a href=\"#task-" + id + "\">Välj ett av lägena i listan.</a>"), onPage.bodyAsString());
    assertEquals("to_book", Db.column(app.databaseUrl, "select state from organiser_task where id = " + id).get(0));
  }

  /** In Chromium: the organiser sees an overdue task stand out, marks it booked, and the participant gets one e-mail. */
  @Test
  void anOrganiserMarksAnOverdueInterpreterBookedOnThePage() {
    long event = event("Workshop om hörsel", 10);  // interpreters need 28 days: overdue already
    String email = "hanna.horsel@example.org";
    String registration = signUp(event, "Hanna Hörsel", email, "sv");
    SignUps.awaitMailSettled(app, registration);
    long id = get("/events/" + event + "/tasks").bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getLong("id");

    Browser browser = Browser.shared();
    browser.reset();
    WebDriver d = browser.driver();
    browser.open(app.url("/login"));
    d.findElement(By.id("email")).sendKeys(organiser.email());
    d.findElement(By.id("password")).sendKeys(organiser.password());
    d.findElement(By.cssSelector("form.form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.urlToBe(app.url("/arrangor")));

    browser.open(app.url("/arrangor/evenemang/" + event + "/anmalningar"));
    List<org.openqa.selenium.WebElement> overdue = d.findElements(By.cssSelector("tr.task-overdue"));
    assertEquals(1, overdue.size(), () -> d.getCurrentUrl() + "\n" + d.getPageSource());
    String row = overdue.get(0).getText();
    assertTrue(row.contains("Hanna Hörsel") && row.contains("Brådskande"), row);
    new Select(d.findElement(By.id("task-" + id))).selectByVisibleText("Bokat");
    d.findElement(By.id("task-" + id + "-note")).sendKeys("Tolk bokad via Tolkcentralen");
    d.findElement(By.cssSelector("form[action$='/uppgifter/" + id + "'] button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice-success"),
        "Deltagaren får ett e-postmeddelande"));
    assertTrue(d.findElements(By.cssSelector("tr.task-overdue")).isEmpty(), "a booked task is no longer overdue");
    browser.assertAccessible("registrations page with task outcomes");

    // Filtered by state: the booked one is there, nothing is under "could not be arranged".
    new Select(d.findElement(By.id("uppgifter"))).selectByVisibleText("Bokat");
    d.findElement(By.cssSelector("form[method=get] button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.urlContains("uppgifter=booked"));
    assertTrue(d.findElement(By.id("task-" + id)).isDisplayed());
    browser.open(app.url("/arrangor/evenemang/" + event + "/anmalningar?uppgifter=unavailable"));
    assertTrue(d.findElement(By.tagName("main")).getText().contains("Inga uppgifter i det läget."));

    SignUps.awaitMailSettled(app, registration);
    List<MimeMessage> booked = withSubject(email, "Bokat till");
    assertEquals(1, booked.size(), "exactly one e-mail");
    String text = Mails.text(booked.get(0), "text/plain");
    assertTrue(text.contains("Arrangören har bokat det du bad om: Teckenspråkstolk"), text);
    assertEquals("Tolk bokad via Tolkcentralen", Db.column(app.databaseUrl, "select note from organiser_task where id = " + id).get(0));
  }

  @Test
  void removingThePersonErasesTheNoteButKeepsTheOutcomeForTheCounts() {
    long event = event("Utbildning med tolk", 40);
    String registration = signUp(event, "Rut Raderas", "rut@example.org", "sv");
    long id = get("/events/" + event + "/tasks").bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0).getLong("id");
    assertEquals(200, put(event, id, "booked", "Tolken Anna Andersson bokad åt Rut Raderas").statusCode());

    String page = "/arrangor/evenemang/" + event + "/anmalningar";
    HttpResponse<Buffer> removed = organiser.session().post(page, page + "/" + registration + "/ta-bort", MultiMap.caseInsensitiveMultiMap());
    assertEquals(302, removed.statusCode(), removed.bodyAsString());
    // The person is told, then erased by the retention job (with the counts kept), as every removal is.
    SignUps.awaitMailSettled(app, registration);
    await(new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce());
    assertNull(Db.column(app.databaseUrl, "select note from organiser_task where id = " + id).get(0));
    assertEquals("booked", Db.column(app.databaseUrl, "select state from organiser_task where id = " + id).get(0));
    assertFalse(Db.dataDump(app.databaseUrl).contains("Anna Andersson"), "nothing keeps the note");
  }

  /** The yearly follow-up counts the year's needs booked ahead per kind of need, below three as "< 3". */
  @Test
  void theYearlyReportCountsNeedsAskedForBookedNotArrangedAndLate() {
    Db.exec(app.databaseUrl, "insert into action_plan_year (year, theme, focus_area) values (2019, 'Kunskapsdelning', null)");
    long held = (Long) Db.column(app.databaseUrl, "insert into event (kind, title_sv, starts_at, ends_at, online_url, capacity,"
        + " status, plan_year) values ('workshop', 'Tolkad workshop', timestamptz '2019-10-01 09:00 Europe/Stockholm',"
        + " timestamptz '2019-10-01 12:00 Europe/Stockholm', 'https://example.org/m', 50, 'published', 2019) returning id").get(0);
    String[][] people = {{"booked", "false"}, {"booked", "false"}, {"booked", "true"}, {"unavailable", "true"}, {"to_book", "false"}};
    for (int i = 0; i < people.length; i++) {
      Object id = Db.column(app.databaseUrl, "insert into registration (event_id, status, waitlist_seq, name, email) values ("
          + held + ", 'confirmed', nextval('waitlist_seq'), 'Person " + i + "', 'p" + i + "@tolk.example') returning id").get(0);
      Db.exec(app.databaseUrl, "insert into organiser_task (event_id, registration_id, need_code, book_by, urgent, state) values ("
          + held + ", '" + id + "', 'teckensprakstolk', date '2019-09-03', " + people[i][1] + ", '" + people[i][0] + "')");
    }
    String page = organiser.session().get("/uppfoljning/ar/2019").bodyAsString();
    int at = page.indexOf("id=\"behov-att-boka\"");
    assertTrue(at > 0, page);
    String section = page.substring(at);
    assertTrue(section.contains("<th scope=\"row\">Teckenspråkstolk</th><td class=\"num\">5</td><td class=\"num\">3</td>"
        + "<td class=\"num\">&lt; 3</td><td class=\"num\">&lt; 3</td>"), section);

    // The PDF carries the same section, in each language, tagged like the rest: a table under its heading.
    for (String[] lang : new String[][] {{"en", "en-GB", "Needs booked ahead", "Sign-language interpreter 5 3 < 3 < 3"},
        {"sv", "sv-SE", "Behov som bokades i förväg", "Teckenspråkstolk 5 3 < 3 < 3"}}) {
      HttpResponse<Buffer> pdf = organiser.session().get("/uppfoljning/ar/2019/uppfoljning.pdf?lang=" + lang[0]);
      assertEquals(200, pdf.statusCode());
      byte[] bytes = pdf.body().getBytes();
      try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(bytes)) {
        String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        int heading = text.lastIndexOf(lang[2]);
        assertTrue(heading > 0, text);
        assertTrue(text.indexOf(lang[3], heading) > heading, text);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      se.hok.samla.support.TaggedPdfs.Element doc;
      try {
        doc = se.hok.samla.support.TaggedPdfs.assertTagged(bytes, lang[1]);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      List<se.hok.samla.support.TaggedPdfs.Element> tables = doc.all("Table");
      se.hok.samla.support.TaggedPdfs.Element needs = tables.get(tables.size() - 1);
      assertEquals(2, needs.kids().size(), "a header row and one kind of need");
      assertTrue(needs.kids().stream().allMatch(row -> row.type().equals("TR")));
      assertTrue(needs.kids().get(0).kids().stream().allMatch(cell -> cell.type().equals("TH")), "a header row");
      assertEquals(List.of("TH", "TD", "TD", "TD", "TD"), needs.kids().get(1).kids().stream()
          .map(se.hok.samla.support.TaggedPdfs.Element::type).toList(), "the need names its row");
      int at2 = doc.kids().indexOf(needs);
      assertEquals("H2", doc.kids().get(at2 - 1).type(), "under its heading");
    }
  }

  /**
   * With parallel workshops, an interpreter is booked for a room: each task says which session and room its need is
   * for, and the list filters by session (API and page); a session of another event is a field error in the API and
   * an empty list on the page, never a 500.
   */
  @Test
  void tasksSayWhichSessionAndRoomANeedIsForAndFilterBySession() {
    long venue = created(await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser.token())
        .sendJsonObject(new JsonObject().put("name", "Tolkhuset " + System.nanoTime()).put("address", "Storgatan 1, Halmstad"))));
    long hall = room(venue, "Stora salen");
    long small = room(venue, "Grupprum 2");
    OffsetDateTime start = OffsetDateTime.now(STOCKHOLM).plusDays(40).truncatedTo(ChronoUnit.DAYS).withHour(10);
    JsonObject published = PublishedEvent.by(app, organiser.token()).title("Workshopdag med tolk").kind("workshop")
        .startsAt(start).endsAt(start.plusHours(3)).capacity(40).with("venueId", venue).with("onlineUrl", null)
        .with("registrationOpensAt", null).with("organiserEmail", "arrangor@example.org")
        .sessions(new JsonArray().add(session("Workshop A", start, hall)).add(session("Workshop B", start, small)))
        .publish();
    long event = published.getLong("id");
    JsonArray sessions = published.getJsonArray("sessions");
    long a = sessions.getJsonObject(0).getLong("id");
    long b = sessions.getJsonObject(1).getLong("id");
    SignUps.byOrganiser(app, organiser.token(), event, new JsonObject().put("name", "Alva i salen").put("email", "alva@example.org")
        .put("consent", true).put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk")))
        .put("sessions", new JsonArray().add(a)));
    SignUps.byOrganiser(app, organiser.token(), event, new JsonObject().put("name", "Bo i grupprummet").put("email", "bo@example.org")
        .put("consent", true).put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk")))
        .put("sessions", new JsonArray().add(b)));

    JsonArray all = get("/events/" + event + "/tasks").bodyAsJsonObject().getJsonArray("tasks");
    assertEquals(2, all.size(), all.encodePrettily());
    for (Object o : all) {
      JsonObject task = (JsonObject) o;
      JsonObject where = task.getJsonArray("sessions").getJsonObject(0);
      boolean alva = task.getString("participant").equals("Alva i salen");
      assertEquals(alva ? a : b, where.getLong("sessionId"), task.encode());
      assertEquals(alva ? "Workshop A" : "Workshop B", where.getString("title"));
      assertEquals(alva ? "Stora salen" : "Grupprum 2", where.getString("room"));
    }
    JsonArray inB = get("/events/" + event + "/tasks?session=" + b).bodyAsJsonObject().getJsonArray("tasks");
    assertEquals(List.of("Bo i grupprummet"), inB.stream().map(o -> ((JsonObject) o).getString("participant")).toList());

    // Another event's session, or no session at all: a field error, not an empty answer that looks like "nothing to book".
    long other = PublishedEvent.by(app, organiser.token()).title("Ett annat pass").startsAt(start)
        .sessions(new JsonArray().add(session("Annat pass", start, null))).publish().getJsonArray("sessions").getJsonObject(0).getLong("id");
    for (String bad : List.of(String.valueOf(other), "999999999")) {
      HttpResponse<Buffer> r = await(app.client.get("/api/v1/events/" + event + "/tasks?session=" + bad)
          .putHeader("Authorization", "Bearer " + organiser.token()).send());
      assertEquals(422, r.statusCode(), r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getJsonObject("fields").containsKey("session"), r.bodyAsString());
    }
    HttpResponse<Buffer> notANumber = await(app.client.get("/api/v1/events/" + event + "/tasks?session=B")
        .putHeader("Authorization", "Bearer " + organiser.token()).send());
    assertEquals(400, notANumber.statusCode(), notANumber.bodyAsString());

    // The page: a "Where" column with session and room, a session filter that keeps itself after a change.
    String path = "/arrangor/evenemang/" + event + "/anmalningar";
    String page = organiser.session().get(path + "?session=" + b).bodyAsString();
    String tasks = page.substring(page.indexOf("id=\"att-gora\""), page.indexOf("id=\"kost\""));
    assertTrue(tasks.contains("Bo i grupprummet") && !tasks.contains("Alva i salen"), tasks);
    assertTrue(tasks.contains("<td class=\"task-where\">Workshop B (Grupprum 2)</td>"), tasks);
    assertTrue(tasks.contains("<option value=\"" + b + "\" selected>Workshop B (Grupprum 2)</option>"), tasks);
    assertTrue(tasks.contains("name=\"visa-pass\" value=\"" + b + "\""), tasks);
    String foreign = organiser.session().get(path + "?session=" + other).bodyAsString();
    assertTrue(foreign.contains("Inga uppgifter för det passet."), foreign);
    String garbage = organiser.session().get(path + "?session=%27or1").bodyAsString();
    assertTrue(garbage.contains("Alva i salen") && garbage.contains("Bo i grupprummet"), "an unreadable filter shows them all");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static long created(HttpResponse<Buffer> r) {
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  private static long room(long venue, String name) {
    return created(await(app.client.post("/api/v1/venues/" + venue + "/rooms").putHeader("Authorization", "Bearer " + organiser.token())
        .sendJsonObject(new JsonObject().put("name", name).put("hearingLoop", true).put("stepFree", true).put("wheelchairPlaces", 2))));
  }

  private static JsonObject session(String title, OffsetDateTime start, Long roomId) {
    JsonObject s = new JsonObject().put("title", title).put("startsAt", start.toString()).put("endsAt", start.plusHours(1).toString())
        .put("capacity", 20);
    return roomId == null ? s : s.put("roomId", roomId);
  }

  private static long event(String title, int daysAhead) {
    OffsetDateTime start = OffsetDateTime.now(STOCKHOLM).plusDays(daysAhead).truncatedTo(ChronoUnit.DAYS).withHour(13);
    return PublishedEvent.by(app, organiser.token()).title(title).startsAt(start)
        .with("organiserEmail", "arrangor@example.org").publishId();
  }

  private static String signUp(long event, String name, String email, String language) {
    return SignUps.byOrganiser(app, organiser.token(), event, new JsonObject().put("name", name).put("email", email)
        .put("language", language).put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "teckensprakstolk")))).getString("id");
  }

  private static HttpResponse<Buffer> get(String path) {
    HttpResponse<Buffer> r = await(app.client.get("/api/v1" + path).putHeader("Authorization", "Bearer " + organiser.token()).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  private static HttpResponse<Buffer> put(long event, long task, String state, String note) {
    return await(app.client.put("/api/v1/events/" + event + "/tasks/" + task)
        .putHeader("Authorization", "Bearer " + organiser.token())
        .sendJsonObject(new JsonObject().put("state", state).put("note", note)));
  }

  private static long audits(long event) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from audit_log where event_id = " + event
        + " and action = 'need_tasks'").get(0);
  }

  private static List<MimeMessage> withSubject(String email, String start) {
    return Mails.to(app, email).stream().filter(m -> subject(m).startsWith(start)).toList();
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
