package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import se.hok.samla.events.EventService;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.mail.RenderedMail;
import se.hok.samla.registration.RegistrationService;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.followup.Attendance.Person;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.Mails;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** The after-event thank-you: to those who attended only, queued once, through real SMTP, with a link that works. */
@WithSamla
class FeedbackThanksTest {
  static TestApp app;
  static Attendance attendance;

  @BeforeAll
  static void start() {
    attendance = new Attendance(app);
  }

  static long thankYous(long eventId) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'thank_you' and event_id = " + eventId).get(0);
  }

  static List<Object> thankYouRecipients(long eventId) {
    return Db.column(app.databaseUrl, "select registration_id::text from outbox where kind = 'thank_you' and event_id = "
        + eventId + " order by 1");
  }

  @Test
  void queuedOnceForThoseWhoAttendedAndNotForCancelledOrRecentOrClosedEvents() {
    long held = attendance.eventEnded("Dialogmöte om demokrati", 3);
    Person came = attendance.register(held, "Kim Kom", "kim@example.org");
    Person undone = attendance.register(held, "Ulf Ångrad", "ulf@example.org");
    Person noShow = attendance.register(held, "Nora Uteblev", "nora@example.org");
    Person cancelled = attendance.register(held, "Cissi Avbokad", "cissi@example.org");
    attendance.cancelRegistration(cancelled);
    attendance.endedHoursAgo(held, 3);
    attendance.checkIn(held, came);
    attendance.checkIn(held, undone);
    attendance.undoCheckIn(undone);
    attendance.checkIn(held, cancelled);

    long called = attendance.eventEnded("Workshop som ställdes in", 3);
    Person calledOff = attendance.register(called, "Ca Inställd", "ca@example.org");
    attendance.cancelEvent(called);
    attendance.endedHoursAgo(called, 3);
    attendance.checkIn(called, calledOff);

    long justEnded = attendance.eventEnded("Seminarium nyss slut", 1);
    Person early = attendance.register(justEnded, "Tidig", "tidig@example.org");
    attendance.endedHoursAgo(justEnded, 1);
    attendance.checkIn(justEnded, early);

    long longAgo = attendance.eventEnded("Utbildning för länge sedan", 24 * 20);
    Person old = attendance.register(longAgo, "Gammal", "gammal@example.org");
    attendance.endedHoursAgo(longAgo, 24 * 20);
    attendance.checkIn(longAgo, old);

    // Two instances at once (and the app's own minute job may join in): each thank-you is queued once.
    FeedbackService a = new FeedbackService(app.running.database().pool());
    FeedbackService b = new FeedbackService(app.running.database().pool());
    await(Future.join(a.queueThankYous(), b.queueThankYous()));
    await(a.queueThankYous());

    assertEquals(List.of(came.id().toString()), thankYouRecipients(held), "only the one still checked in, once");
    assertEquals(0, thankYous(called), "not for a cancelled event");
    assertEquals(0, thankYous(justEnded), "not before two hours have passed");
    assertEquals(0, thankYous(longAgo), "not when the survey has closed");
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select thanks_queued_at is not null from event where id = " + held));

    // Two hours on, the recent one is due too.
    attendance.endedHoursAgo(justEnded, 2);
    await(a.queueThankYous());
    assertEquals(1, thankYous(justEnded));
  }

  @Test
  void theMailArrivesWithALinkThatOpensTheSurvey() throws Exception {
    long held = attendance.eventEnded("Framtidsforum i Halmstad", 3);
    Person sv = attendance.register(held, "Åsa Öberg", "asa.tack@example.org");
    Person en = attendance.register(held, "Erin English", "erin.tack@example.org", "en");
    attendance.endedHoursAgo(held, 3);
    attendance.checkIn(held, sv);
    attendance.checkIn(held, en);
    await(new FeedbackService(app.running.database().pool()).queueThankYous());

    MimeMessage mail = mailTo(sv.email());
    assertTrue(mail.getSubject().startsWith("Tack för att du kom"), mail.getSubject());
    assertTrue(mail.getSubject().contains("Framtidsforum i Halmstad"), mail.getSubject());
    String text = part(mail, "text/plain");
    String html = part(mail, "text/html");
    assertTrue(text.contains("Hej Åsa Öberg!"), text);
    assertFalse(html.contains("/anmalan/"), "no manage link in a thank-you");
    String url = link(text);
    assertTrue(html.contains(url.replace("&", "&amp;")), "the same link in the HTML part");

    String path = url.substring(url.indexOf("/utvardering/"));
    PageSession person = PageSession.anonymous(app);
    HttpResponse<Buffer> page = person.get(path);
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("Vad tyckte du om Framtidsforum i Halmstad?"), page.bodyAsString());
    HttpResponse<Buffer> sent = person.post(path, path, MultiMap.caseInsensitiveMultiMap().add("rating", "5")
        .add("mostValuable", "Att träffa andra föreningar"));
    assertEquals(303, sent.statusCode(), sent.bodyAsString());
    assertEquals(List.of(5), Db.column(app.databaseUrl, "select rating::int from feedback where registration_id = '" + sv.id() + "'"));

    // Organisers see the kind by name on the event's e-mail page.
    assertTrue(PageSession.staff(app, "organiser").assign(held, "organiser").get("/arrangor/evenemang/" + held + "/e-post").bodyAsString()
        .contains("Tack efter evenemanget (med enkät)"));

    MimeMessage english = mailTo(en.email());
    assertTrue(english.getSubject().startsWith("Thank you for coming"), english.getSubject());
    String englishUrl = link(part(english, "text/plain"));
    assertTrue(englishUrl.endsWith("?lang=en"), englishUrl);
    HttpResponse<Buffer> englishPage = PageSession.anonymous(app).get(englishUrl.substring(englishUrl.indexOf("/utvardering/")));
    assertTrue(englishPage.bodyAsString().contains("What did you think of"), "the survey in the mail's language");
  }

  @Test
  void aThankYouIsRenderedOnlyWhileThePersonCountsAsAttended() {
    long held = attendance.eventEnded("Remissmöte om kulturplanen", 3);
    Person p = attendance.register(held, "Olle Ångrad", "olle.tack@example.org");
    attendance.endedHoursAgo(held, 3);
    attendance.checkIn(held, p);
    var pool = app.running.database().pool();
    FeedbackService feedback = new FeedbackService(pool);
    MailRenderer renderer = new MailRenderer(new RegistrationService(pool, Clock.systemDefaultZone(), se.hok.samla.mail.Outbox.REGISTRATION_MAILS), new EventService(pool, se.hok.samla.mail.Outbox.EVENT_MAILS),
        null, app.url("")).feedbackLinks(id -> feedback.thankYouLink(id)
            .map(link -> link.map(l -> new MailRenderer.FeedbackLink(l.path(), l.closesAt()))));

    Optional<RenderedMail> mail = await(renderer.render("thank_you", held, p.id(), new JsonObject()));
    assertTrue(mail.isPresent());
    assertTrue(mail.get().text().contains("/utvardering/"), mail.get().text());
    assertTrue(mail.get().html().contains("lang=\"sv\""), "the HTML says its language");

    // The check-in was a mistake and is undone before the mail goes: nothing to send.
    attendance.undoCheckIn(p);
    assertTrue(await(renderer.render("thank_you", held, p.id(), new JsonObject())).isEmpty());
    // Checked in again, but the survey has closed meanwhile: nothing to send either.
    attendance.checkIn(held, p);
    Db.exec(app.databaseUrl, "update event set feedback_closes_at = now() - interval '1 minute' where id = " + held);
    assertTrue(await(renderer.render("thank_you", held, p.id(), new JsonObject())).isEmpty());
  }

  // ------------------------------------------------------------------------------------------------ helpers

  static MimeMessage mailTo(String address) {
    return Mails.awaitOne(app, m -> {
      try {
        return Mails.recipient(m).contains(address) && m.getSubject() != null
            && (m.getSubject().startsWith("Tack") || m.getSubject().startsWith("Thank"));
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }, "thank-you to " + address);
  }

  static String part(Part p, String mime) {
    return Mails.text(p, mime);
  }

  static String link(String text) {
    Matcher m = Pattern.compile("https?://\\S+/utvardering/[A-Za-z0-9_-]+(\\?lang=en)?").matcher(text);
    assertTrue(m.find(), text);
    return m.group();
  }
}
