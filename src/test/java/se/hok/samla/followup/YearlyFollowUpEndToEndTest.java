package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.followup.ReportPagesTest.assertContains;
import static se.hok.samla.followup.ReportPagesTest.table;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import se.hok.samla.registration.Retention;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.TestClock;

/**
 * Issue 14's "done when", from an empty database: the working group enters a plan year with two planned activities;
 * an organiser keeps three organisations (two parties) and links two events to one activity; people sign up, come and
 * rate; retention erases their addresses; the yearly report still counts them, says one activity was held and one was
 * not, gives the rating by breadth and names the party that took part in nothing; then an admin closes the period and
 * the keys are gone while the counts stay.
 */
class YearlyFollowUpEndToEndTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  @Test
  void planAgainstOutcomeAndPeopleAcrossYearsSurviveRetentionAndTheClosingOfThePeriod() throws Exception {
    TestClock clock = new TestClock();
    try (TestApp app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"), clock)) {
      int year = LocalDate.now(STOCKHOLM).getYear();
      PageSession group = PageSession.staff(app, "viewer");  // the working group
      StaffAccount organiser = StaffAccount.create(app, "organiser");
      StaffAccount admin = StaffAccount.admin(app);

      // The working group enters the plan: a period, its year, two planned activities.
      HttpResponse<Buffer> period = group.post("/arrangor/handlingsplan", "/arrangor/handlingsplan/perioder",
          form("name", "Handlingsplan " + (year - 1) + "–" + (year + 1), "firstYear", String.valueOf(year - 1),
              "lastYear", String.valueOf(year + 1)));
      assertEquals(302, period.statusCode(), period.bodyAsString());
      String periodPage = period.getHeader("Location").replaceAll("\\?.*", "");
      long periodId = Long.parseLong(periodPage.replaceAll(".*/", ""));
      assertEquals(302, group.post(periodPage, periodPage + "/ar", form("year", String.valueOf(year),
          "theme", "Kvalitet", "focusArea", "Breddat deltagande")).statusCode());
      String yearPage = "/arrangor/handlingsplan/ar/" + year;
      assertEquals(302, group.post(yearPage, yearPage + "/aktiviteter", form("title", "Dialogmöten om psykisk hälsa",
          "kind", "dialogmote", "target", "två öppna aktiviteter", "notes", "")).statusCode());
      assertEquals(302, group.post(yearPage, yearPage + "/aktiviteter", form("title",
          "Samverkanskonferens med tema kvalitet", "kind", "samverkanskonferens", "target", "", "notes", "")).statusCode());
      JsonArray activities = await(app.client.get("/api/v1/plan").putHeader("Authorization", "Bearer " + organiser.token())
          .send()).bodyAsJsonObject().getJsonArray("periods").getJsonObject(0).getJsonArray("years").getJsonObject(0)
          .getJsonArray("activities");
      assertEquals(2, activities.size());
      long dialogues = activities.getJsonObject(0).getLong("id");

      // An organiser keeps the organisations: two parties, one not.
      long alfa = organisation(app, organiser, "Alfa förening", "ideburen", (year - 1) + "-05-14");
      long beta = organisation(app, organiser, "Beta kommun", "offentlig", (year - 1) + "-05-14");
      long gamma = organisation(app, organiser, "Gamma AB", "privat", null);
      assertTrue(alfa > 0 && beta > 0 && gamma > 0);

      // Two events carry out the dialogues (a workshop and a dialogue meeting: two kinds).
      long workshop = event(app, organiser, "Workshop om psykisk hälsa", "workshop", year, dialogues, 10);
      long meeting = event(app, organiser, "Dialogmöte om psykisk hälsa", "dialogmote", year, dialogues, 11);

      // Sign-ups: six to the workshop (one by the organiser, the rest as the public), three of them to the meeting too
      // (one with the address in other letters), and a walk-in at the workshop's door.
      SignUps.byOrganiser(app, organiser.token(), workshop, person("Pia Ett", "p1@example.org", alfa));
      for (int i = 2; i <= 6; i++) {
        SignUps.anonymously(app, workshop, person("Person " + i, "p" + i + "@example.org", i <= 3 || i == 6 ? alfa : gamma));
      }
      SignUps.anonymously(app, meeting, person("Pia Ett", "P1@Example.org", alfa));
      SignUps.anonymously(app, meeting, person("Person 2", "p2@example.org", alfa));
      SignUps.anonymously(app, meeting, person("Person 3", "p3@example.org", alfa));
      assertEquals(List.of(9L), Db.column(app.databaseUrl, "select count(*) from registration where participant_key is not null"),
          "every sign-up got its participant key with it");

      // The events take place: people come (checked in at the door) and one walks in.
      for (long e : List.of(workshop, meeting)) {
        Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '1 hour', ends_at = now() + interval '2 hours',"
            + " registration_opens_at = null, registration_closes_at = null where id = " + e);
      }
      for (String id : ids(app, workshop)) {
        checkIn(app, admin, workshop, id);
      }
      for (String id : ids(app, meeting)) {
        checkIn(app, admin, meeting, id);
      }
      HttpResponse<Buffer> walkIn = await(app.client.post("/api/v1/events/" + workshop + "/walk-ins")
          .putHeader("Authorization", "Bearer " + admin.token()).sendJsonObject(new JsonObject()
              .put("name", "Per Sju").put("email", "p7@example.org").put("organisationId", gamma).put("deviceId", "Entré")));
      assertEquals(201, walkIn.statusCode(), walkIn.bodyAsString());
      for (long e : List.of(workshop, meeting)) {
        Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '5 hours', ends_at = now() - interval"
            + " '3 hours' where id = " + e);
      }

      // They rate the workshop: those who came to both kinds of activity are more positive.
      rate(app, workshop, "p1@example.org", 5);
      rate(app, workshop, "p2@example.org", 5);
      rate(app, workshop, "p3@example.org", 4);
      rate(app, workshop, "p4@example.org", 3);
      rate(app, workshop, "p5@example.org", 4);
      rate(app, workshop, "p6@example.org", 2);

      String report = page(group, "/uppfoljning/ar/" + year);
      List<List<String>> plan = table(report, "plan-mot-utfall");
      assertEquals(List.of("Planerad aktivitet", "Typ", "Mål", "Status", "Aktivitet", "Datum", "Deltog", "Organisationer",
          "Närvaro"), plan.get(0));
      assertEquals(4, plan.size(), "the held activity has a line per event, the other one line: " + plan);
      assertEquals(List.of("Dialogmöten om psykisk hälsa", "Dialogmöte", "två öppna aktiviteter", "Genomförd"),
          plan.get(1).subList(0, 4));
      assertEquals("Workshop om psykisk hälsa", plan.get(1).get(4), "soonest first");
      assertEquals(List.of("7", "2"), plan.get(1).subList(6, 8), "seven came, from two organisations");
      assertEquals(List.of("Dialogmöte om psykisk hälsa", "3", "1"), List.of(plan.get(2).get(4), plan.get(2).get(6),
          plan.get(2).get(7)));
      assertEquals(List.of("Samverkanskonferens med tema kvalitet", "Samverkanskonferens", "", "Inte genomförd", "", "",
          "–", "–", "–"), plan.get(3));
      assertContains(report, "1 av årets 2 planerade aktiviteter genomfördes; inga evenemang hölls utanför planen.");
      assertContains(report, "<li>Beta kommun</li>");

      List<List<String>> breadth = table(report, "bredd");
      List<List<String>> people = table(report, "personer");
      List<List<String>> ratings = table(report, "betyg-efter-bredd");
      assertEquals(List.of(
          List.of("Mått", "Värde"),
          List.of("Organisationer som deltog", "2"),
          List.of("Organisationer i minst två typer av aktiviteter", "1"),
          List.of("Organisationer i minst två aktiviteter", "1"),
          List.of("Personer som kan kännas igen", "7"),
          List.of("Personer i minst två typer av aktiviteter", "3"),
          List.of("Personer som kom tillbaka (minst två aktiviteter)", "3"),
          List.of("Deltaganden som inte längre kan kopplas till en person", "0")), breadth,
          "P1 under two spellings of one address is one person");
      assertEquals(List.of("Nya personer (inte med något tidigare år i perioden)", "7"), people.get(2));
      assertEquals(List.of("Personer som kom igen året efter", "–"), people.get(4), "next year has held nothing yet");
      assertEquals(List.of(
          List.of("Deltog i", "Svar", "Medelbetyg", "Betyg 1", "Betyg 2", "Betyg 3", "Betyg 4", "Betyg 5"),
          List.of("En typ av aktivitet", "3", "3,0", "0", "1", "1", "1", "0"),
          List.of("Två eller fler typer", "3", "4,7", "0", "0", "0", "1", "2")), ratings);

      // Past retention: the addresses go, the keys stay, and so do the figures.
      clock.advance(Duration.ofDays(31));
      assertTrue(await(new Retention(app.running.database().pool(), 30, clock, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).runOnce()) >= 0);
      assertEquals(List.of(0L), Db.column(app.databaseUrl,
          "select count(*) from registration where email like 'p_@example.org' or email ilike 'P1@%'"));
      assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from registration where erased_at is not null"
          + " and participant_key is not null"));
      String afterRetention = page(group, "/uppfoljning/ar/" + year);
      assertEquals(breadth, table(afterRetention, "bredd"), "people and breadth are unchanged by retention");
      assertEquals(people, table(afterRetention, "personer"));
      assertEquals(ratings, table(afterRetention, "betyg-efter-bredd"));

      // An admin closes the period, after a page that says what will happen; the working group cannot.
      String closePage = periodPage + "/stang";
      assertEquals(403, group.get(closePage).statusCode());
      String confirm = admin.session().get(closePage).bodyAsString();
      assertContains(confirm, "Det går inte att ångra.");
      assertContains(confirm, "Periodens hemliga nyckel förstörs");
      assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from registration where participant_key is not null"),
          "the confirmation page changes nothing");
      HttpResponse<Buffer> closed = admin.session().post(closePage, closePage, MultiMap.caseInsensitiveMultiMap());
      assertEquals(302, closed.statusCode(), closed.bodyAsString());
      assertContains(admin.session().get(closed.getHeader("Location")).bodyAsString(), "Perioden är stängd.");
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from registration where participant_key is not null"),
          "the keys are gone");
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from plan_period_secret"), "and the secret");

      String afterClosing = page(group, "/uppfoljning/ar/" + year);
      assertEquals(breadth, table(afterClosing, "bredd"), "the counts are kept");
      assertEquals(people, table(afterClosing, "personer"));
      assertEquals(ratings, table(afterClosing, "betyg-efter-bredd"));
      assertContains(afterClosing, "Perioden är stängd: antalen räknades när perioden stängdes och nycklarna förstördes.");

      // Closing twice is harmless.
      HttpResponse<Buffer> again = admin.session().post(periodPage, closePage, MultiMap.caseInsensitiveMultiMap());
      assertEquals(302, again.statusCode());
      assertTrue(again.getHeader("Location").endsWith("?redan=1"));
      HttpResponse<Buffer> api = await(app.client.post("/api/v1/plan/periods/" + periodId + "/close")
          .putHeader("Authorization", "Bearer " + admin.token()).sendJsonObject(new JsonObject().put("confirm", true)));
      assertEquals(200, api.statusCode(), api.bodyAsString());
      assertEquals(true, api.bodyAsJsonObject().getBoolean("alreadyClosed"));
      assertEquals(people, table(page(group, "/uppfoljning/ar/" + year), "personer"));

      // The API and the PDF say the same.
      JsonObject participation = await(app.client.get("/api/v1/reports/participation?year=" + year)
          .putHeader("Authorization", "Bearer " + organiser.token()).send()).bodyAsJsonObject();
      JsonObject across = participation.getJsonObject("people");
      assertEquals(true, across.getBoolean("keptAtClosing"));
      assertEquals(7, across.getInteger("people"));
      assertEquals(4.666, across.getJsonObject("ratingsByBreadth").getJsonObject("twoOrMoreKinds").getDouble("mean"), 0.01);
      assertEquals(List.of("held", "held", "not-held"), participation.getJsonArray("plan").stream()
          .map(r -> ((JsonObject) r).getString("status")).toList());
      assertEquals(List.of("Beta kommun"), participation.getJsonArray("signatoriesWithoutParticipation").stream()
          .map(o -> ((JsonObject) o).getString("name")).toList());
      HttpResponse<Buffer> pdf = group.get("/uppfoljning/ar/" + year + "/uppfoljning.pdf");
      assertEquals(200, pdf.statusCode());
      try (PDDocument doc = Loader.loadPDF(pdf.body().getBytes())) {
        String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        for (String expected : List.of("Plan mot utfall", "Dialogmöten om psykisk hälsa",
            "Workshop om psykisk hälsa – 7 deltagare, 2 organisationer", "Samverkanskonferens med tema kvalitet",
            "Inte genomförd", "Personer över åren", "Betyg efter bredd i deltagandet", "Två eller fler typer 3 4,7")) {
          assertTrue(text.contains(expected), "the PDF says " + expected + ":\n" + text);
        }
      }
      assertFalse(afterClosing.contains("p1@example.org"));
    }
  }

  private static MultiMap form(String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1] == null ? "" : pairs[i + 1]);
    }
    return form;
  }

  private static long organisation(TestApp app, StaffAccount organiser, String name, String sector, String partySince) {
    MultiMap form = form("name", name, "sector", sector, "signatorySince", partySince, "signatoryUntil", "",
        "contactName", "Kontakt " + name, "contactEmail", "kontakt@example.org");
    if (partySince != null) {
      form.add("signatory", "true");
    }
    HttpResponse<Buffer> r = organiser.session().post("/arrangor/organisationer/ny", "/arrangor/organisationer", form);
    assertEquals(302, r.statusCode(), r.bodyAsString());
    return Long.parseLong(r.getHeader("Location").replaceAll("\\?.*", "").replaceAll(".*/", ""));
  }

  private static long event(TestApp app, StaffAccount organiser, String title, String kind, int year, long activity,
                            int daysAhead) {
    OffsetDateTime start = OffsetDateTime.now(STOCKHOLM).plusDays(daysAhead);
    return PublishedEvent.by(app, organiser.token()).with("title", title).kind(kind).startsAt(start)
        .with("year", year).with("plannedActivityId", activity).capacity(50).publishId();
  }

  private static JsonObject person(String name, String email, long organisation) {
    return new JsonObject().put("name", name).put("email", email).put("organisationId", organisation);
  }

  private static List<String> ids(TestApp app, long event) {
    List<String> out = new ArrayList<>();
    Db.column(app.databaseUrl, "select id from registration where event_id = " + event + " order by lower(email)")
        .forEach(id -> out.add(id.toString()));
    return out;
  }

  private static void checkIn(TestApp app, StaffAccount door, long event, String registration) {
    HttpResponse<Buffer> r = await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + door.token())
        .sendJsonObject(new JsonObject().put("eventId", event).put("registrationId", registration).put("deviceId", "Entré")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /** The person answers the survey behind the link in their thank-you e-mail. */
  private static void rate(TestApp app, long event, String email, int rating) {
    java.util.UUID id = (java.util.UUID) Db.column(app.databaseUrl, "select id from registration where event_id = " + event
        + " and lower(email) = '" + email + "'").get(0);
    String path = await(new FeedbackService(app.running.database().pool()).thankYouLink(id)).orElseThrow().path();
    HttpResponse<Buffer> r = PageSession.anonymous(app).post(path, path,
        Attendance.answer(String.valueOf(rating), null, null, null));
    assertEquals(303, r.statusCode(), r.bodyAsString());
  }

  private static String page(PageSession session, String path) {
    HttpResponse<Buffer> r = session.get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsString();
  }
}
