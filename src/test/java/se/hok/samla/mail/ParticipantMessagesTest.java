package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Organisers write to a group of an event's participants on its mail page: the message reaches exactly that group, each
 * person once (a form sent twice is one message), each in an e-mail of their own with their manage link, in English for
 * those who chose English; erased people are never written to; empty fields are field errors and nothing is sent.
 */
@WithSamla
class ParticipantMessagesTest {
  private static final Pattern KEY = Pattern.compile("name=\"key\" value=\"([^\"]+)\"");
  static TestApp app;
  static StaffAccount organiser;
  static long eventId;
  static long workshop;
  static String mailPage;

  @BeforeAll
  static void start() {
    organiser = StaffAccount.create(app, "organiser");
    // Today, in a couple of hours: the door lets people in from 12 hours before the start.
    OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Stockholm")).plusHours(2).truncatedTo(ChronoUnit.MINUTES);
    JsonObject published = PublishedEvent.by(app, organiser.token()).title("Utbildningsdag").kind("utbildning").atVenue()
        .startsAt(start).endsAt(start.plusHours(6)).capacity(4).sessions(new JsonArray()
            .add(new JsonObject().put("title", "Verkstad").put("startsAt", start.plusHours(1).toString())
                .put("endsAt", start.plusHours(2).toString()).put("capacity", 4)))
        .publish();
    eventId = published.getLong("id");
    workshop = published.getJsonArray("sessions").getJsonObject(0).getLong("id");
    mailPage = "/arrangor/evenemang/" + eventId + "/e-post";
  }

  static SignUps.Participant signUp(String email, JsonObject more) {
    return SignUps.participant(app, eventId, more.copy().put("name", email.substring(0, email.indexOf('@'))).put("email", email));
  }

  static MultiMap message(String audience, String subject, String body) {
    return MultiMap.caseInsensitiveMultiMap().add("audience", audience).add("subject", subject).add("body", body);
  }

  /** The form as the page gives it: with its own key, which the browser sends back with every press of the button. */
  static MultiMap withKey(MultiMap form, PageSession page) {
    Matcher m = KEY.matcher(page.get(mailPage).bodyAsString());
    assertTrue(m.find(), "the form has a key");
    return form.add("key", m.group(1));
  }

  static List<MimeMessage> withSubject(String email, String subject) {
    return Mails.to(app, email).stream().filter(m -> subject(m).equals(subject)).toList();
  }

  @Test
  void aMessageReachesExactlyTheChosenGroupOnceEachAloneWithTheirLinkAndErasedPeopleAreNotWrittenTo() throws Exception {
    signUp("olle@example.org", new JsonObject().put("sessions", new JsonArray().add(workshop)));
    signUp("pia@example.org", new JsonObject().put("language", "en"));
    SignUps.Participant rut = signUp("rut@example.org", new JsonObject().put("sessions", new JsonArray().add(workshop)));
    SignUps.Participant sten = signUp("sten@example.org", new JsonObject());
    signUp("tove@example.org", new JsonObject());  // the fifth and sixth of four seats: the waiting list
    signUp("ulla@example.org", new JsonObject());
    // Rut erases her data: she is not written to any more (and Tove, first in line, gets her seat).
    assertEquals(204, await(app.client.delete("/api/v1/registrations/" + rut.token() + "?erase=true").send()).statusCode());
    // Sten was there (the door let him in).
    String door = app.tokenFor("checkin");
    app.assign(eventId, door, "door");
    assertEquals(200, await(app.client.post("/api/v1/checkins").putHeader("Authorization", "Bearer " + door)
        .sendJsonObject(new JsonObject().put("eventId", eventId).put("registrationId", sten.id().toString())
            .put("deviceId", "Entré"))).statusCode());

    PageSession page = organiser.session();
    String html = page.get(mailPage).bodyAsString();
    assertTrue(html.contains("Skriv till deltagarna"), html);

    // To the workshop: Olle only (Rut is erased). Pressed twice: one message.
    MultiMap form = withKey(message("session", "Ta med laptop", "Hej!\n\nTa med en laptop till verkstaden.")
        .add("session", String.valueOf(workshop)), page);
    HttpResponse<Buffer> sent = page.post(mailPage, mailPage + "/meddelande", form);
    assertEquals(302, sent.statusCode(), sent.bodyAsString());
    assertTrue(page.get(sent.getHeader("Location")).bodyAsString().contains("Meddelandet skickas till 1 person."));
    assertEquals(302, page.post(mailPage, mailPage + "/meddelande", form).statusCode(), "the double click");
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from participant_message where event_id = " + eventId));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'message' and event_id = " + eventId));

    // To everyone confirmed, with an English version.
    HttpResponse<Buffer> all = page.post(mailPage, mailPage + "/meddelande", withKey(message("confirmed", "Programmet är uppdaterat",
        "Nu finns programmet på evenemangets sida.").add("subjectEn", "The programme is updated")
        .add("bodyEn", "The programme is on the event's page now."), page));
    assertEquals(302, all.statusCode());
    // To those who did not come (after the event: "we missed you").
    assertEquals(302, page.post(mailPage, mailPage + "/meddelande", withKey(message("not_checked_in", "Vi saknade dig",
        "Här är materialet."), page)).statusCode());
    // To those who came.
    assertEquals(302, page.post(mailPage, mailPage + "/meddelande", withKey(message("checked_in", "Tack för att du kom",
        "Bilderna finns här."), page)).statusCode());
    // To the waiting list.
    assertEquals(302, page.post(mailPage, mailPage + "/meddelande", withKey(message("waitlisted", "Fler platser kan komma",
        "Vi försöker få en större lokal."), page)).statusCode());

    SignUps.awaitEventMailSettled(app, eventId);
    assertEquals(1, withSubject("olle@example.org", "Ta med laptop").size());
    for (String other : List.of("pia@example.org", "sten@example.org", "tove@example.org", "ulla@example.org", "rut@example.org")) {
      assertTrue(withSubject(other, "Ta med laptop").isEmpty(), other + " did not choose the workshop");
    }
    assertEquals(1, withSubject("olle@example.org", "Programmet är uppdaterat").size());
    assertEquals(1, withSubject("sten@example.org", "Programmet är uppdaterat").size());
    assertEquals(1, withSubject("pia@example.org", "The programme is updated").size(), "English for her");
    assertEquals(1, withSubject("tove@example.org", "Programmet är uppdaterat").size(), "Tove has a seat now");
    assertTrue(withSubject("ulla@example.org", "Programmet är uppdaterat").isEmpty(), "the waiting list is not confirmed");
    assertEquals(1, withSubject("ulla@example.org", "Fler platser kan komma").size());
    assertTrue(withSubject("tove@example.org", "Fler platser kan komma").isEmpty(), "only the waiting list");
    assertTrue(Mails.to(app, "rut@example.org").stream().noneMatch(m -> subject(m).contains("Programmet")), "never the erased");
    assertEquals(1, withSubject("olle@example.org", "Vi saknade dig").size());
    assertTrue(withSubject("sten@example.org", "Vi saknade dig").isEmpty(), "Sten came");
    assertEquals(1, withSubject("sten@example.org", "Tack för att du kom").size());
    assertTrue(withSubject("olle@example.org", "Tack för att du kom").isEmpty());

    MimeMessage toOlle = withSubject("olle@example.org", "Ta med laptop").get(0);
    assertEquals(1, toOlle.getAllRecipients().length, "one recipient: nobody sees anyone else");
    assertEquals(null, toOlle.getRecipients(Message.RecipientType.CC));
    String text = Mails.text(toOlle, "text/plain");
    assertTrue(text.contains("Ta med en laptop till verkstaden."), text);
    assertTrue(SignUps.link(toOlle).isPresent(), "with the manage link");

    String status = page.get(mailPage).bodyAsString();
    assertTrue(status.contains("Ta med laptop") && status.contains("Skickade: 1."), status);
  }

  @Test
  void anEmptySubjectOrTextIsAFieldErrorAndNothingIsSent() {
    PageSession page = organiser.session();
    Object before = Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'message'").get(0);
    HttpResponse<Buffer> empty = page.post(mailPage, mailPage + "/meddelande", withKey(message("confirmed", " ", ""), page));
    assertEquals(422, empty.statusCode());
    String html = empty.bodyAsString();
    assertTrue(html.contains("error-summary") && html.contains("href=\"#subject\"") && html.contains("href=\"#body\""), html);
    assertTrue(html.contains("Fyll i det här fältet."), html);

    HttpResponse<Buffer> halfEnglish = page.post(mailPage, mailPage + "/meddelande", withKey(message("confirmed", "Ämne", "Text")
        .add("subjectEn", "Subject"), page));
    assertEquals(422, halfEnglish.statusCode());
    assertTrue(halfEnglish.bodyAsString().contains("Skriv både ämne och meddelande på engelska"));
    assertTrue(halfEnglish.bodyAsString().contains("value=\"Ämne\""), "what was typed is kept");

    HttpResponse<Buffer> noSession = page.post(mailPage, mailPage + "/meddelande", withKey(message("session", "Ämne", "Text"), page));
    assertEquals(422, noSession.statusCode());
    assertEquals(before, Db.column(app.databaseUrl, "select count(*) from outbox where kind = 'message'").get(0), "nothing sent");
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
