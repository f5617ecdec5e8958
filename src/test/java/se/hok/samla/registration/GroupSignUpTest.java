package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * A contact person signs several people up at once (issue 20, item 3): people with their own address get their own
 * ticket and link; people without one (or with the contact's address) are registered all the same and their tickets
 * and links come to the contact, in one e-mail. The answer is the neutral one whatever was registered before; the
 * whole group or nobody; every mistake named per person.
 */
@WithSamla
class GroupSignUpTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
  }


  static long event(int capacity) {
    OffsetDateTime start = OffsetDateTime.now().plusDays(20);
    return PublishedEvent.by(app, organiser).title("Dialogmöte grupp " + System.nanoTime()).kind("dialogmote")
        .startsAt(start).endsAt(start.plusHours(2)).capacity(capacity).atVenue()
        .with("organiserEmail", "arrangor@example.org").with("registrationOpensAt", null).publishId();
  }

  static String unique(String who) {
    return who + "." + System.nanoTime() + "@example.org";
  }

  static HttpResponse<Buffer> group(long eventId, JsonObject body) {
    return await(app.client.post("/api/v1/events/" + eventId + "/group-registrations").sendJsonObject(body));
  }

  static JsonObject body(String contactName, String contactEmail, JsonObject... people) {
    return new JsonObject().put("contact", new JsonObject().put("name", contactName).put("email", contactEmail))
        .put("language", "sv").put("consent", true).put("people", new JsonArray(List.of((Object[]) people)));
  }

  static JsonObject person(String name, String email) {
    JsonObject p = new JsonObject().put("name", name);
    return email == null ? p : p.put("email", email);
  }

  static List<Object> names(long eventId) {
    return Db.column(app.databaseUrl, "select name || '|' || coalesce(email, '-') || '|' || status from registration "
        + "where event_id = " + eventId + " order by waitlist_seq");
  }

  static List<String> pdfNames(MimeMessage m) {
    List<String> out = new ArrayList<>();
    for (Part p : Mails.leaves(m)) {
      try {
        if (p.isMimeType("application/pdf")) {
          out.add(p.getFileName());
        }
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  static Set<String> links(MimeMessage m) {
    Set<String> out = new TreeSet<>();
    Matcher found = SignUps.MANAGE_LINK.matcher(Mails.text(m, "text/plain"));
    while (found.find()) {
      out.add(found.group(1));
    }
    return out;
  }

  @Test
  void aGroupOfThreeWithOneSharedAddressGivesThreeRegistrationsAndTheRightTickets() {
    long eventId = event(20);
    String contact = unique("kerstin");
    String anna = unique("anna");
    HttpResponse<Buffer> r = group(eventId, body("Kerstin Kontakt", contact,
        person("Anna Egen", anna), person("Bo Delad", contact.toUpperCase(Locale.ROOT)), person("Cecilia Utan", null))
        .put("people", new JsonArray().add(person("Anna Egen", anna).put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga"))))
            .add(person("Bo Delad", contact.toUpperCase(Locale.ROOT))).add(person("Cecilia Utan", null))));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals("check_email", r.bodyAsJsonObject().getString("outcome"));
    assertEquals(List.of("Anna Egen|" + anna + "|confirmed", "Bo Delad|-|confirmed", "Cecilia Utan|-|confirmed"), names(eventId));

    // Anna: her own ticket and link, to her own address.
    SignUps.Participant annaSelf = new SignUps.Participant(null, anna, SignUps.manageToken(app, anna), null);
    JsonObject annaReg = await(app.client.get("/api/v1/registrations/" + annaSelf.token()).send()).bodyAsJsonObject();
    assertEquals("Anna Egen", annaReg.getString("name"));
    assertEquals(1, pdfNames(Mails.await(app, anna, 1).get(0)).size(), "Anna's ticket");

    // The contact: one e-mail, with Bo's and Cecilia's tickets and a link of each.
    SignUps.sendMail(app);
    List<MimeMessage> toContact = Mails.await(app, contact, 1);
    assertEquals(1, toContact.size(), "one e-mail to the contact");
    MimeMessage mail = toContact.get(0);
    assertEquals(List.of("Biljett Bo Delad.pdf", "Biljett Cecilia Utan.pdf"), pdfNames(mail).stream().sorted().toList());
    Set<String> names = new TreeSet<>();
    for (String token : links(mail)) {
      JsonObject reg = await(app.client.get("/api/v1/registrations/" + token).send()).bodyAsJsonObject();
      names.add(reg.getString("name") + "|" + reg.getString("status"));
    }
    assertEquals(Set.of("Bo Delad|confirmed", "Cecilia Utan|confirmed"), names, "each link opens its own person");
    assertFalse(Mails.text(mail, "text/plain").contains("Anna Egen"), "Anna is told herself, not through the contact");

    // The same group again: the same answer, nobody twice, the contact not mailed again at once; Anna gets her link.
    HttpResponse<Buffer> again = group(eventId, body("Kerstin Kontakt", contact,
        person("Anna Egen", anna), person("bo  delad", contact), person("Cecilia Utan", "")));
    assertEquals(202, again.statusCode(), again.bodyAsString());
    assertEquals(r.bodyAsString(), again.bodyAsString());
    assertEquals(3, names(eventId).size(), "one person is registered once");
    SignUps.sendMail(app);
    assertEquals(2, Mails.await(app, anna, 2).size(), "Anna's link again");
    assertEquals(1, Mails.to(app, contact).size(), "the contact's e-mail not again within the quarter of an hour");

    // A new person through the same contact: the contact's e-mail lists all three.
    assertEquals(202, group(eventId, body("Kerstin Kontakt", contact, person("Dagny Ny", null))).statusCode());
    SignUps.sendMail(app);
    List<MimeMessage> both = Mails.await(app, contact, 2);
    assertEquals(2, both.size());
    MimeMessage latest = both.stream().filter(m -> Mails.text(m, "text/plain").contains("Dagny Ny")).findFirst().orElseThrow();
    assertEquals(List.of("Biljett Bo Delad.pdf", "Biljett Cecilia Utan.pdf", "Biljett Dagny Ny.pdf"),
        pdfNames(latest).stream().sorted().toList(), "Bo, Cecilia and Dagny");

    // The organiser sees whose address they are reached at, and the contact's e-mail among the event's mail.
    se.hok.samla.support.PageSession staff = se.hok.samla.support.PageSession.staff(app, "organiser").assign(eventId, "organiser");
    String list = se.hok.samla.support.PageSession.unescape(staff.get("/arrangor/evenemang/" + eventId + "/anmalningar").bodyAsString());
    assertTrue(list.contains("Genom kontaktperson: " + contact), list);
    String mails = se.hok.samla.support.PageSession.unescape(staff.get("/arrangor/evenemang/" + eventId + "/e-post").bodyAsString());
    assertTrue(mails.contains("Till kontaktperson (biljetter för flera)") && mails.contains(contact), mails);
  }

  @Test
  void seatsAndTheWaitingListGoPerPersonInOrder() {
    long eventId = event(2);
    String contact = unique("karl");
    assertEquals(202, group(eventId, body("Karl Kontakt", contact,
        person("Ett Först", null), person("Två Sedan", null), person("Tre Sist", null))).statusCode());
    assertEquals(List.of("Ett Först|-|confirmed", "Två Sedan|-|confirmed", "Tre Sist|-|waitlisted"), names(eventId));
    SignUps.sendMail(app);
    MimeMessage first = Mails.await(app, contact, 1).get(0);
    String text = Mails.text(first, "text/plain");
    assertTrue(text.contains("På väntelistan, plats 1"), text);

    // Ett Först cancels: Tre Sist gets the seat, and the e-mail saying so goes to the contact, who is told whom it is
    // about (not greeted as Tre Sist).
    String ettsLink = links(first).stream().filter(token -> "Ett Först".equals(await(app.client
        .get("/api/v1/registrations/" + token).send()).bodyAsJsonObject().getString("name"))).findFirst().orElseThrow();
    assertEquals(200, await(app.client.delete("/api/v1/registrations/" + ettsLink).send()).statusCode());
    SignUps.sendMail(app);
    // Three e-mails to the contact by now: the group's, Ett Först's cancellation and Tre Sist's seat.
    String promoted = Mails.text(Mails.await(app, contact, 3).stream().filter(m -> subject(m).startsWith("Du har fått en plats"))
        .findFirst().orElseThrow(), "text/plain");
    assertTrue(promoted.contains("Hej! Det här gäller Tre Sist, som du har anmält."), promoted);
    assertFalse(promoted.contains("Hej Tre Sist!"), promoted);
  }

  @Test
  void mistakesAreNamedPerPersonAndNothingIsKept() {
    long eventId = event(20);
    String contact = unique("klara");
    assertFields(group(eventId, body("Klara", contact)), "people");
    JsonObject[] many = new JsonObject[GroupInput.MAX_PEOPLE + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = person("Person " + i, null);
    }
    assertFields(group(eventId, body("Klara", contact, many)), "people");
    assertFields(group(eventId, body("Klara", contact,
        person("Alva", null), person("ALVA ", null), person("Berit", "inte-en-adress"), person("Cilla", "c@example.org"),
        person("Doris", "C@example.org"), person("", null))),
        "people[1].name", "people[2].email", "people[4].email", "people[5].name");
    assertFields(group(eventId, body("", "nej", person("Alva", null))), "contact.name", "contact.email");
    assertFields(group(eventId, body("Klara", contact, person("Alva", null).put("sessions", new JsonArray().add(999999)),
        person("Berit", null))), "people[0].sessions");
    assertFields(group(eventId, body("Klara", contact, person("Alva", null),
        person("Berit", null).put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga")))).put("consent", false)),
        "consent");
    assertEquals(List.of(), names(eventId), "nothing half-saved");
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from group_contact where event_id = " + eventId));
    SignUps.sendMail(app);
    assertEquals(0, Mails.to(app, contact).size());
  }

  @Test
  void anIdempotencyKeyMakesARetrySafeAndRefusesAnotherGroupUnderIt() {
    long eventId = event(20);
    String contact = unique("ida");
    String key = java.util.UUID.randomUUID().toString();
    JsonObject first = body("Ida Kontakt", contact, person("Nils Ett", null), person("Olga Två", null));
    HttpResponse<Buffer> sent = await(app.client.post("/api/v1/events/" + eventId + "/group-registrations")
        .putHeader("Idempotency-Key", key).sendJsonObject(first));
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    HttpResponse<Buffer> retry = await(app.client.post("/api/v1/events/" + eventId + "/group-registrations")
        .putHeader("Idempotency-Key", key).sendJsonObject(first));
    assertEquals(202, retry.statusCode());
    HttpResponse<Buffer> other = await(app.client.post("/api/v1/events/" + eventId + "/group-registrations")
        .putHeader("Idempotency-Key", key).sendJsonObject(body("Ida Kontakt", contact, person("Petra Tre", null))));
    assertEquals(409, other.statusCode(), other.bodyAsString());
    assertEquals(List.of("Nils Ett|-|confirmed", "Olga Två|-|confirmed"), names(eventId));
    SignUps.sendMail(app);
    assertEquals(1, Mails.await(app, contact, 1).size(), "one e-mail for the group, not one per try");
  }

  static void assertFields(HttpResponse<Buffer> r, String... fields) {
    assertEquals(422, r.statusCode(), r.bodyAsString());
    assertEquals(new TreeSet<>(List.of(fields)), new TreeSet<>(r.bodyAsJsonObject().getJsonObject("fields").fieldNames()),
        r.bodyAsString());
  }

  @Test
  void erasingThePeopleLeavesNothingOfThemOrOfTheirContact() {
    long eventId = event(20);
    String contact = unique("kent.radera");
    assertEquals(202, group(eventId, body("Kent Raderasson", contact,
        person("Berta Raderasdotter", null), person("Cilla Raderasdotter", contact))).statusCode());
    SignUps.sendMail(app);
    Set<String> tokens = links(Mails.await(app, contact, 1).get(0));
    assertEquals(2, tokens.size());
    List<String> list = List.copyOf(tokens);
    HttpResponse<Buffer> first = await(app.client.delete("/api/v1/registrations/" + list.get(0) + "?erase=true").send());
    assertEquals(204, first.statusCode(), first.bodyAsString());
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from group_contact where event_id = " + eventId),
        "the contact stays while someone is left to manage");
    assertEquals(204, await(app.client.delete("/api/v1/registrations/" + list.get(1) + "?erase=true").send()).statusCode());
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from group_contact where event_id = " + eventId));
    String dump = Db.dataDump(app.databaseUrl).toLowerCase(Locale.ROOT);
    for (String trace : List.of("Kent Raderasson", contact, "Berta Raderasdotter", "Cilla Raderasdotter")) {
      assertFalse(dump.contains(trace.toLowerCase(Locale.ROOT)), () -> "left in the database: " + trace);
    }
  }

  static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
