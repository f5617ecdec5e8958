package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static se.hok.samla.followup.Attendance.answer;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.followup.Attendance.Person;
import se.hok.samla.registration.Retention;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** Feedback comments are personal data: erased with the registration (by the person or by retention); ratings stay. */
@WithSamla
class FeedbackErasureTest {
  static TestApp app;
  static Attendance attendance;

  @BeforeAll
  static void start() {
    attendance = new Attendance(app);
  }

  @Test
  void erasingARegistrationDeletesTheCommentsAndKeepsTheRating() {
    Attendance.Attendee a = attendance.attendee("Dialogmöte om radering", "radera.svar@example.org");
    PageSession person = PageSession.anonymous(app);
    assertEquals(303, person.post(a.path(), a.path(), answer("2", "Personligt: jag heter Rut", "Min assistent", "X")).statusCode());

    String manage = "/anmalan/" + attendance.manageToken(a.person());
    HttpResponse<Buffer> erased = person.post(manage + "/radera", manage + "/radera", MultiMap.caseInsensitiveMultiMap());
    assertEquals(303, erased.statusCode(), erased.bodyAsString());
    assertEquals(List.of("2|-|-|-"), attendance.stored(a.person()), "the rating stays for the counts, the comments go");
    assertEquals(404, person.get(a.path()).statusCode(), "the survey link is gone with the registration");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from feedback_token where registration_id = '"
        + a.person().id() + "'"));
  }

  @Test
  void theRetentionJobDeletesTheCommentsAndKeepsTheRating() throws InterruptedException {
    Attendance.Attendee old = attendance.attendee("Utbildning för länge sedan", "gammal.svar@example.org");
    Attendance.Attendee recent = attendance.attendee("Utbildning nyss", "ny.svar@example.org");
    PageSession person = PageSession.anonymous(app);
    assertEquals(303, person.post(old.path(), old.path(), answer("3", "Gammal kommentar", null, "Gammalt intresse")).statusCode());
    assertEquals(303, person.post(recent.path(), recent.path(), answer("5", "Ny kommentar", null, null)).statusCode());
    Db.exec(app.databaseUrl, "update event set starts_at = now() - interval '31 days 3 hours', ends_at = now() - interval '31 days' "
        + "where id = " + old.eventId());

    // The app's own retention job may hold the row at this moment (SKIP LOCKED): run until it is erased by either.
    Retention retention = new Retention(app.running.database().pool(), 30, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    for (int i = 0; i < 50 && !erased(old.person()); i++) {
      await(retention.runOnce());
      Thread.sleep(100);
    }

    assertEquals(List.of("3|-|-|-"), attendance.stored(old.person()));
    assertEquals(List.of("5|Ny kommentar|-|-"), attendance.stored(recent.person()), "not yet due");
    assertEquals(404, person.get(old.path()).statusCode());
    assertNull(Db.column(app.databaseUrl, "select most_valuable from feedback where registration_id = '" + old.person().id() + "'").get(0));
  }

  static boolean erased(Person p) {
    return (Boolean) Db.column(app.databaseUrl, "select erased_at is not null from registration where id = '" + p.id() + "'").get(0);
  }
}
