package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The participant's pages as a person meets them: the sign-up form without JavaScript (plain form posts with the
 * CSRF cookie), its receipt (the same for everyone: check your e-mail), the manage page behind the link from the
 * e-mail, "my data", and the same in headless Chromium with the keyboard only, checked by axe-core.
 */
@WithSamla
class ParticipantPagesTest {
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  private static final OffsetDateTime START = OffsetDateTime.now(STOCKHOLM).plusDays(60).truncatedTo(ChronoUnit.DAYS).withHour(9);
  private static final String UNICODE_NAME = "Åsa Öberg-Nguy\u1EC5n";

  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"X-XSRF-TOKEN\" value=\"([^\"]*)\"");
  private static final Pattern KEY_FIELD = Pattern.compile("name=\"idempotencyKey\" value=\"([^\"]*)\"");
  private static final Pattern MANAGE_LINK = Pattern.compile("href=\"/anmalan/([A-Za-z0-9_-]{20,})\"");

  private static TestApp app;
  private static String admin;
  /** This class's own Chromium (not {@link Browser#shared()}), so that it can be closed before the app stops. */
  private static Browser browser;

  @BeforeAll
  static void start() {
    admin = app.adminToken();
    Db.exec(app.databaseUrl, "insert into organisation (name, sector, signatory) values ('DHR Region Halland', 'ideburen', true)");
  }

  // ------------------------------------------------------------------------------------------------ signing up

  @Test
  void aFormPostIsAnsweredWithCheckYourEmailAndTheLinkComesByEmail() {
    Event event = event(40, START, null);
    assertContains(get("/evenemang/" + event.id).bodyAsString(), "href=\"/evenemang/" + event.id + "/anmalan\">Anmäl dig</a>");

    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    String html = page.bodyAsString();
    assertContains(html, "<html lang=\"sv\"");
    assertContains(html, "autocomplete=\"name\"");
    assertContains(html, "autocomplete=\"email\"");
    assertContains(html, "autocomplete=\"tel\"");
    assertContains(html, "autocomplete=\"organization-title\"");
    assertContains(html, "<option value=\"" + orgId() + "\">DHR Region Halland</option>");
    // Consent is never pre-ticked, and says where to read more.
    assertContains(html, "<input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"true\" aria-describedby=\"consent-hint\">");
    assertContains(html, "href=\"/integritet\"");
    assertContains(html, "raderas efter evenemanget");
    assertContains(html, "<legend>Pass kl. 10:00–11:00</legend>");
    assertContains(html, "Teckenspråkstolk");
    assertContains(html, "Bokas i förväg. Anmäl behovet senast");
    assertContains(html, "checkas in tillsammans med dig");
    assertContains(html, "<input type=\"radio\" id=\"language\" name=\"language\" value=\"sv\" checked>");
    assertFalse(html.contains("reg."), "every text has a translation");

    String english = await(session().get("/evenemang/" + event.id + "/anmalan?lang=en").send()).bodyAsString();
    assertContains(english, "<html lang=\"en\"");
    assertContains(english, "<h1>Sign up for ");
    assertContains(english, "Sign-language interpreter");
    assertContains(english, "<input type=\"radio\" id=\"language-en\" name=\"language\" value=\"en\" checked>");
    assertFalse(english.contains("reg."), "every text has a translation");

    MultiMap form = form(page, UNICODE_NAME, "asa.oberg@example.org")
        .add("phone", "070-123 45 67").add("organisationId", String.valueOf(orgId())).add("roleTitle", "Ordförande")
        .add("session.0", String.valueOf(event.sessionA)).add("session.1", String.valueOf(event.sessionC))
        .add("need.teckensprakstolk", "on").add("need.specialkost", "on").add("needDetail.specialkost", "Nötallergi")
        .add("diet", "vegetarisk").add("diet", "glutenfri").add("consent", "true");
    // Post, redirect, get: the receipt can be reloaded without sending anything again.
    HttpResponse<Buffer> sent = await(person.post("/evenemang/" + event.id + "/anmalan").sendForm(form));
    assertEquals(303, sent.statusCode(), sent.bodyAsString());
    assertEquals("/evenemang/" + event.id + "/anmalan/klar", sent.getHeader("Location"), "nothing in the receipt's address");
    HttpResponse<Buffer> receipt = follow(person, sent);
    assertEquals(200, receipt.statusCode(), receipt.bodyAsString());
    String thanks = receipt.bodyAsString();
    assertContains(thanks, "<h1>Tack – kolla din e-post</h1>");
    assertContains(thanks, "Inom någon minut får du ett e-postmeddelande");
    assertContains(thanks, "Titta i skräpposten.");
    assertContains(thanks, "anmäl dig igen med samma e-postadress");
    assertContains(thanks, "href=\"mailto:hok@example.org\"");
    assertFalse(MANAGE_LINK.matcher(thanks).find(), "no manage link on the page");
    assertFalse(thanks.contains("reg."), "every text has a translation");
    assertEquals(thanks, follow(person, sent).bodyAsString(), "the receipt can be reloaded");
    String thanksEn = get(sent.getHeader("Location") + "?lang=en").bodyAsString();
    assertContains(thanksEn, "<h1>Thank you – check your e-mail</h1>");
    assertFalse(thanksEn.contains("reg."), "every text has a translation");

    String token = manageToken("asa.oberg@example.org");
    String mail = Mails.text(Mails.to(app, "asa.oberg@example.org").get(0), "text/plain");
    assertFalse(mail.contains("KOM IN SENT"), "60 days ahead nothing is late");

    assertEquals(List.of(UNICODE_NAME), Db.column(app.databaseUrl, "select name from registration where email = 'asa.oberg@example.org'"));
    assertEquals(List.of("specialkost", "teckensprakstolk"), Db.column(app.databaseUrl,
        "select need_code from registration_need n join registration r on r.id = n.registration_id "
            + "where r.email = 'asa.oberg@example.org' order by need_code"));
    assertEquals(39, seatsLeft(event.id));

    String manage = get("/anmalan/" + token).bodyAsString();
    assertContains(manage, "<dd>" + UNICODE_NAME + "</dd>");
    assertContains(manage, "<strong>Du är anmäld</strong>");
    assertContains(manage, "DHR Region Halland");
    assertContains(manage, "Workshop A");
    assertContains(manage, "Specialkost/allergi: Nötallergi");
    assertContains(manage, "Vegetarisk, Glutenfri");
    assertContains(manage, "href=\"/evenemang/" + event.id + "\"");
    assertContains(manage, "<h3 class=\"form-heading\">Välj pass</h3>");
    assertFalse(manage.contains("reg."), "every text has a translation");
  }

  @Test
  void aNewOrganisationIsTypedWithItsSectorAndAKnownNameNeedsNone() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> noSector = post(person, event.id, form(open(person, event.id), "Karin Ek", "karin@example.org")
        .add("organisationName", "Föreningen Fyren"));
    assertEquals(422, noSector.statusCode());
    assertErrorLink(noSector.bodyAsString(), "sector", "Välj vilken sektor organisationen tillhör.");

    HttpResponse<Buffer> ok = post(person, event.id, form(noSector, "Karin Ek", "karin@example.org")
        .add("organisationName", "Föreningen Fyren").add("sector", "ideburen"));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(List.of("ideburen"), Db.column(app.databaseUrl, "select sector from organisation where name = 'Föreningen Fyren'"));

    HttpResponse<Buffer> known = post(person, event.id, form(open(person, event.id), "Lars Ek", "lars@example.org")
        .add("organisationName", "dhr region halland"));
    assertEquals(200, known.statusCode(), known.bodyAsString());
    assertEquals(List.of(orgId()), Db.column(app.databaseUrl, "select organisation_id from registration where email = 'lars@example.org'"));
  }

  @Test
  void aFullEventWaitlistsAndTellsThePosition() {
    Event event = event(1, START, null);
    HttpResponse<Buffer> seat = signUp(event.id, "Första Person", "forsta@example.org");
    assertContains(get("/evenemang/" + event.id).bodyAsString(), ">Anmäl dig till väntelistan</a>");

    WebClientSession second = session();
    HttpResponse<Buffer> page = open(second, event.id);
    assertContains(page.bodyAsString(), "Fullbokat.");
    assertContains(page.bodyAsString(), ">Anmäl dig till väntelistan</button>");
    HttpResponse<Buffer> waitlisted = post(second, event.id, form(page, "Andra Person", "andra@example.org"));
    assertEquals(200, waitlisted.statusCode(), waitlisted.bodyAsString());
    assertContains(waitlisted.bodyAsString(), "<h1>Tack – kolla din e-post</h1>");
    assertEquals(seat.bodyAsString(), waitlisted.bodyAsString(), "the same page as for a seat");

    signUp(event.id, "Tredje Person", "tredje@example.org");
    String token = manageToken("tredje@example.org");
    assertContains(Mails.text(Mails.to(app, "tredje@example.org").get(0), "text/plain"), "Du har plats 2 på väntelistan.");
    assertContains(get("/anmalan/" + token).bodyAsString(), "Du står på väntelistan, plats 2");
  }

  @Test
  void aLateNeedIsSaidToMaybeNotBePossible() {
    Event event = event(40, OffsetDateTime.now(STOCKHOLM).plusDays(5).truncatedTo(ChronoUnit.DAYS).withHour(9), null);
    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    assertContains(page.bodyAsString(), "Sista dag att beställa var");
    HttpResponse<Buffer> receipt = post(person, event.id, form(page, "Sen Anmälan", "sen@example.org")
        .add("need.teckensprakstolk", "on").add("need.horslinga", "on").add("consent", "true"));
    assertEquals(200, receipt.statusCode(), receipt.bodyAsString());
    assertContains(receipt.bodyAsString(), "<h1>Tack – kolla din e-post</h1>");
    // Told where only the person reads it: in the e-mail.
    manageToken("sen@example.org");
    String html = Mails.text(Mails.to(app, "sen@example.org").get(0), "text/html");
    assertContains(html, "Några behov kom in sent");
    assertContains(html, "vi kan inte lova att det går");
    assertContains(html, "hok@example.org");
    String late = html.substring(html.indexOf("Några behov kom in sent"));
    late = late.substring(0, late.indexOf("vi kan inte lova"));
    assertContains(late, "Teckenspråkstolk");
    assertFalse(late.contains("Hörslinga/teleslinga"), "a need without lead time is never late");
  }

  @Test
  void aSecondSignUpWithTheSameAddressGetsTheNeutralPageAndTheLinkByEmail() {
    Event event = event(40, START, null);
    WebClientSession first = session();
    HttpResponse<Buffer> firstSent = await(first.post("/evenemang/" + event.id + "/anmalan")
        .sendForm(form(open(first, event.id), "Maja Berg", "maja.berg@example.org")));
    HttpResponse<Buffer> firstPage = follow(first, firstSent);

    WebClientSession second = session();
    HttpResponse<Buffer> sent = await(second.post("/evenemang/" + event.id + "/anmalan")
        .sendForm(form(open(second, event.id), "Maja Berg", "Maja.Berg@Example.org")));
    assertEquals(firstSent.statusCode(), sent.statusCode(), sent.bodyAsString());
    assertEquals(firstSent.getHeader("Location"), sent.getHeader("Location"), "nothing in the address either");
    HttpResponse<Buffer> again = follow(second, sent);
    assertEquals(firstPage.statusCode(), again.statusCode());
    assertEquals(firstPage.bodyAsString(), again.bodyAsString(), "byte for byte the same page");
    assertFalse(MANAGE_LINK.matcher(again.bodyAsString()).find(), "never the manage link of someone else's registration");
    assertEquals(1L, count("select count(*) from registration where lower(email) = 'maja.berg@example.org'"));
    assertEquals(List.of("manage_link"), Db.column(app.databaseUrl, "select o.kind from outbox o join registration r "
        + "on r.id = o.registration_id where r.email = 'maja.berg@example.org' and o.kind = 'manage_link'"));
  }

  @Test
  void aDoubleSubmitWithTheSameKeyMakesOneRegistration() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    MultiMap form = form(open(person, event.id), "Dubbel Klick", "dubbel@example.org");
    // Two clicks in a row: both requests leave before the first answer comes back.
    List<HttpResponse<Buffer>> both = await(Future.all(
            person.post("/evenemang/" + event.id + "/anmalan").sendForm(form),
            person.post("/evenemang/" + event.id + "/anmalan").sendForm(form))
        .map(all -> List.<HttpResponse<Buffer>>of(all.resultAt(0), all.resultAt(1))));
    both.forEach(r -> assertContains(follow(person, r).bodyAsString(), "<h1>Tack – kolla din e-post</h1>"));
    assertEquals(1L, count("select count(*) from registration where email = 'dubbel@example.org'"));
    assertEquals(1L, count("select count(*) from registration where event_id = " + event.id));
    assertEquals(39, seatsLeft(event.id));
  }

  @Test
  void aFormResentWithItsKeyShowsTheSameRegistrationAgain() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    MultiMap form = form(page, "Omladdad Sida", "omladdad@example.org");
    String cookie = person.cookieStore().get(false, "localhost", "/").iterator().next().value();
    HttpResponse<Buffer> first = await(app.client.post("/evenemang/" + event.id + "/anmalan")
        .putHeader("Cookie", "samla_csrf=" + cookie).sendForm(form));
    HttpResponse<Buffer> second = await(app.client.post("/evenemang/" + event.id + "/anmalan")
        .putHeader("Cookie", "samla_csrf=" + cookie).sendForm(form));
    assertEquals(303, second.statusCode(), second.bodyAsString());
    assertEquals(first.getHeader("Location"), second.getHeader("Location"), "the first answer again");
    assertEquals(1L, count("select count(*) from registration where email = 'omladdad@example.org'"));
    assertEquals(0L, count("select count(*) from outbox o join registration r on r.id = o.registration_id "
        + "where r.email = 'omladdad@example.org' and o.kind = 'manage_link'"), "a retry is not a second sign-up");
    assertEquals(200, get("/anmalan/" + manageToken("omladdad@example.org")).statusCode());
  }

  @Test
  void aFormSentAgainWithOtherContentIsRefusedAndChangesNothing() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    String key = field(page, KEY_FIELD);
    assertEquals(200, post(person, event.id, form(page, "Första Versionen", "version@example.org")
        .add("need.annat", "on").add("needDetail.annat", "Epilepsi").add("consent", "true")).statusCode());
    long registrations = count("select count(*) from registration where event_id = " + event.id);
    long mails = count("select count(*) from outbox where event_id = " + event.id);

    // Back, change the form, send again: the key is the same, the content is not.
    HttpResponse<Buffer> refused = post(person, event.id, form(page, "Någon Annan", "annan@example.org"));
    assertEquals(409, refused.statusCode(), refused.bodyAsString());
    String html = refused.bodyAsString();
    assertContains(html, "Det här formuläret har redan skickats, med andra uppgifter.");
    assertContains(html, "Inget har ändrats.");
    assertContains(html, "value=\"Någon Annan\"");
    assertFalse(html.contains("Epilepsi") || html.contains("Första Versionen"), "nothing about the first");
    assertFalse(MANAGE_LINK.matcher(html).find());
    assertTrue(!key.equals(field(refused, KEY_FIELD)), "a new key: sending this form again is a new sign-up");
    assertEquals(registrations, count("select count(*) from registration where event_id = " + event.id));
    assertEquals(mails, count("select count(*) from outbox where event_id = " + event.id));
    assertEquals(List.of("Första Versionen"), Db.column(app.databaseUrl, "select name from registration where email = 'version@example.org'"));

    HttpResponse<Buffer> newSignUp = post(person, event.id, form(refused, "Någon Annan", "annan@example.org"));
    assertContains(newSignUp.bodyAsString(), "<h1>Tack – kolla din e-post</h1>");
    assertEquals(1L, count("select count(*) from registration where email = 'annan@example.org'"));
  }

  @Test
  void aFormLeftOpenInAnotherTabStillGoesThroughAfterTheFirstIsSent() {
    Event first = event(40, START, null);
    Event second = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> tabOne = open(person, first.id);
    HttpResponse<Buffer> tabTwo = open(person, second.id);
    HttpResponse<Buffer> sent = post(person, first.id, form(tabOne, "Två Flikar", "flikar@example.org"));
    assertContains(sent.bodyAsString(), "<h1>Tack – kolla din e-post</h1>");
    // The second tab was filled in before the first was sent; its form must not have gone out of date.
    HttpResponse<Buffer> later = post(person, second.id, form(tabTwo, "Två Flikar", "flikar@example.org"));
    assertEquals(200, later.statusCode(), later.bodyAsString());
    assertContains(later.bodyAsString(), "<h1>Tack – kolla din e-post</h1>");
    assertEquals(2L, count("select count(*) from registration where email = 'flikar@example.org'"));
  }

  @Test
  void badInputComesBackWithErrorsBesideTheFieldsAndTheInputKept() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    String key = field(page, KEY_FIELD);
    HttpResponse<Buffer> r = post(person, event.id, form(page, "", "inte-en-adress")
        .add("roleTitle", "Samordnare").add("need.annat", "on").add("needDetail.annat", "Vilrum under dagen")
        .add("diet", "vegansk"));
    assertEquals(422, r.statusCode());
    String html = r.bodyAsString();
    assertContains(html, "<title>Fel: Anmäl dig till");
    assertContains(html, "<h2 id=\"error-summary-title\">Det finns fel i formuläret</h2>");
    assertErrorLink(html, "name", "Skriv namnet på den som ska delta.");
    assertErrorLink(html, "email", "Ange en e-postadress i formatet namn@exempel.se.");
    assertErrorLink(html, "consent", "Kryssa i samtycket för att vi ska få spara dina behov, eller ta bort dem.");
    assertContains(html, "id=\"email-error\"");
    assertContains(html, "aria-describedby=\"email-hint email-error\" aria-invalid=\"true\"");
    assertContains(html, "id=\"consent-error\"");
    // Kept as typed.
    assertContains(html, "value=\"inte-en-adress\"");
    assertContains(html, "value=\"Samordnare\"");
    assertContains(html, "name=\"need.annat\" value=\"on\" checked");
    assertContains(html, ">Vilrum under dagen</textarea>");
    assertContains(html, "name=\"diet\" value=\"vegansk\" checked");
    assertEquals(key, field(r, KEY_FIELD), "the same form, the same key");
    assertEquals(0L, count("select count(*) from registration where event_id = " + event.id));

    HttpResponse<Buffer> twoInSlot = post(person, event.id, form(r, "Två Pass", "tva.pass@example.org")
        .add("session.0", String.valueOf(event.sessionA)).add("session.7", String.valueOf(event.sessionB)));
    assertEquals(422, twoInSlot.statusCode());
    assertErrorLink(twoInSlot.bodyAsString(), "sessions", "Välj högst ett pass per tidsblock.");
    assertContains(twoInSlot.bodyAsString(), "id=\"sessions\" name=\"session.0\" value=\"" + event.sessionA + "\" checked");
    assertContains(twoInSlot.bodyAsString(), "value=\"Två Pass\"");

    HttpResponse<Buffer> english = post(person, event.id, form(twoInSlot, "Jo", "jo@@example.org"), "?lang=en");
    assertEquals(422, english.statusCode());
    assertContains(english.bodyAsString(), "<html lang=\"en\"");
    assertContains(english.bodyAsString(), "There is a problem");
  }

  @Test
  void markupInAnyFieldIsStoredAsTextAndShownEscaped() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> receipt = post(person, event.id, form(open(person, event.id), "<b>x</b>", "markup@example.org")
        .add("roleTitle", "<script>alert(1)</script>").add("need.annat", "on").add("needDetail.annat", "<i>lugnt rum</i>")
        .add("consent", "true"));
    assertEquals(200, receipt.statusCode(), receipt.bodyAsString());
    assertEquals(List.of("<b>x</b>"), Db.column(app.databaseUrl, "select name from registration where email = 'markup@example.org'"));
    String manage = get("/anmalan/" + manageToken("markup@example.org")).bodyAsString();
    assertContains(manage, "&lt;b&gt;x&lt;/b&gt;");
    assertContains(manage, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assertContains(manage, "&lt;i&gt;lugnt rum&lt;/i&gt;");
    assertFalse(manage.contains("<b>x</b>") || manage.contains("<script>alert") || manage.contains("<i>lugnt"), manage);

    HttpResponse<Buffer> invalid = post(person, event.id, form(open(person, event.id), "<b>x</b>", "<script>@x"));
    assertEquals(422, invalid.statusCode());
    assertContains(invalid.bodyAsString(), "value=\"&lt;b&gt;x&lt;/b&gt;\"");
    assertFalse(invalid.bodyAsString().contains("<script>@x"));
  }

  @Test
  void oddInputIsNeverAServerError() {
    Event event = event(40, START, null);
    WebClientSession person = session();
    HttpResponse<Buffer> page = open(person, event.id);
    List<MultiMap> odd = List.of(
        form(page, "Nul\u0000Tecken", "nul@example.org"),
        form(page, "Ok Namn", "ok@example.org").add("session.0", "99999999999999999999").add("organisationId", "abc"),
        form(page, "Ok Namn", "ok@example.org").add("need.<script>", "on").add("consent", "true").add("diet", "godis"),
        form(page, "Ok Namn", "ok@example.org").set("language", "xx").add("organisationName", "Ny").add("sector", "x"),
        form(page, "Ok Namn", "ok@example.org").add("organisationId", "424242").set("idempotencyKey", "x".repeat(500)),
        form(page, "x".repeat(300), "ok@example.org").add("phone", "ring mig").add("needDetail.annat", "y".repeat(3000))
            .add("need.annat", "on").add("consent", "true"));
    for (MultiMap form : odd) {
      HttpResponse<Buffer> r = post(person, event.id, form.set("X-XSRF-TOKEN", field(page, CSRF_FIELD)));
      assertEquals(422, r.statusCode(), () -> form + "\n" + r.bodyAsString());
      assertContains(r.bodyAsString(), "error-summary-title");
      page = r;
    }
    assertEquals(0L, count("select count(*) from registration where event_id = " + event.id));
  }

  @Test
  void signUpThatIsNotOpenSaysSoClearly() {
    Event notYet = event(40, START, OffsetDateTime.now(STOCKHOLM).plusDays(10));
    HttpResponse<Buffer> page = get("/evenemang/" + notYet.id + "/anmalan");
    assertEquals(200, page.statusCode());
    assertContains(page.bodyAsString(), "<h1>Anmälan har inte öppnat ännu.</h1>");
    assertContains(page.bodyAsString(), "Anmälan öppnar ");
    assertFalse(page.bodyAsString().contains("name=\"email\""));
    // A form sent anyway (an old tab, a guessed address) meets the same answer.
    WebClientSession person = session();
    HttpResponse<Buffer> otherForm = open(person, event(40, START, null).id);
    HttpResponse<Buffer> post = await(person.post("/evenemang/" + notYet.id + "/anmalan").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", field(otherForm, CSRF_FIELD)).add("name", "Tidig").add("email", "tidig@example.org")));
    assertEquals(409, post.statusCode());
    assertContains(post.bodyAsString(), "Anmälan har inte öppnat ännu.");

    Event cancelled = event(40, START, null);
    assertEquals(200, await(app.client.post("/api/v1/events/" + cancelled.id + "/cancel")
        .putHeader("Authorization", "Bearer " + admin).send()).statusCode());
    assertContains(get("/evenemang/" + cancelled.id + "/anmalan").bodyAsString(), "<h1>Evenemanget är inställt.</h1>");

    assertEquals(404, get("/evenemang/999999/anmalan").statusCode());
    assertEquals(404, get("/evenemang/abc/anmalan").statusCode());
  }

  // ------------------------------------------------------------------------------------------------ self-service

  @Test
  void theManagePageChangesNeedsDietSessionsAndCompanion() {
    Event event = event(40, START, null);
    signUp(event.id, "Ändra Behov", "andra.behov@example.org");
    String token = manageToken("andra.behov@example.org");

    WebClientSession person = session();
    HttpResponse<Buffer> manage = await(person.get("/anmalan/" + token).send());
    assertEquals(200, manage.statusCode());
    assertContains(manage.bodyAsString(), "<h1>Din anmälan</h1>");

    MultiMap change = MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", field(manage, CSRF_FIELD))
        .add("phone", "035-12 34 56").add("session.0", String.valueOf(event.sessionB))
        .add("need.horslinga", "on").add("need.rullstolsplats", "on").add("consent", "true")
        .add("diet", "vegansk").add("companion", "true").add("language", "en");
    HttpResponse<Buffer> saved = await(person.post("/anmalan/" + token).sendForm(change));
    assertEquals(303, saved.statusCode(), saved.bodyAsString());
    assertEquals("/anmalan/" + token + "?sparad=1", saved.getHeader("Location"));

    String after = await(person.get(saved.getHeader("Location")).send()).bodyAsString();
    assertContains(after, "Dina ändringar är sparade.");
    assertContains(after, "<li>Hörslinga/teleslinga</li>");
    assertContains(after, "<li>Rullstolsplats</li>");
    assertContains(after, "Workshop B");
    assertContains(after, "Vegansk");
    assertContains(after, "Ja, med egen plats");
    assertContains(after, "<dd>Engelska</dd>");
    assertContains(after, "name=\"need.horslinga\" value=\"on\" checked");
    assertEquals(List.of("horslinga", "rullstolsplats"), Db.column(app.databaseUrl, "select need_code from registration_need n "
        + "join registration r on r.id = n.registration_id where r.email = 'andra.behov@example.org' order by need_code"));
    assertEquals(38, seatsLeft(event.id), "the companion took a seat");

    // Needs without consent: the same page, 422, the error at the field and the choices kept.
    MultiMap noConsent = MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", field(manage, CSRF_FIELD))
        .add("need.doftfri", "on");
    HttpResponse<Buffer> refused = await(person.post("/anmalan/" + token).sendForm(
        noConsent.set("X-XSRF-TOKEN", field(await(person.get("/anmalan/" + token).send()), CSRF_FIELD))));
    assertEquals(422, refused.statusCode());
    assertErrorLink(refused.bodyAsString(), "consent", "Kryssa i samtycket för att vi ska få spara dina behov, eller ta bort dem.");
    assertContains(refused.bodyAsString(), "name=\"need.doftfri\" value=\"on\" checked");
    assertContains(refused.bodyAsString(), "<li>Hörslinga/teleslinga</li>");
  }

  @Test
  void noSeatForACompanionIsShownAtTheField() {
    Event event = event(1, START, null);
    signUp(event.id, "Ensam Plats", "ensam@example.org");
    String token = manageToken("ensam@example.org");
    WebClientSession person = session();
    HttpResponse<Buffer> manage = await(person.get("/anmalan/" + token).send());
    HttpResponse<Buffer> r = await(person.post("/anmalan/" + token).sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", field(manage, CSRF_FIELD)).add("companion", "true")));
    assertEquals(422, r.statusCode());
    assertErrorLink(r.bodyAsString(), "companion", "Det finns ingen ledig plats för en ledsagare just nu.");
    assertContains(r.bodyAsString(), "id=\"companion-error\"");
    assertEquals(0, seatsLeft(event.id));
  }

  @Test
  void cancellingFreesTheSeatAndPromotesTheWaitingList() {
    Event event = event(3, START, null);
    WebClientSession withCompanion = session();
    post(withCompanion, event.id, form(open(withCompanion, event.id), "Anna Ledsagad", "anna@example.org")
        .add("companion", "true"));
    String tokenA = manageToken("anna@example.org");
    signUp(event.id, "Cecilia Plats", "cecilia@example.org");
    signUp(event.id, "Bengt Väntar", "bengt@example.org");
    String tokenB = manageToken("bengt@example.org");
    assertContains(get("/anmalan/" + tokenB).bodyAsString(), "Du står på väntelistan, plats 1");
    assertEquals(0, seatsLeft(event.id));

    WebClientSession person = session();
    HttpResponse<Buffer> confirm = await(person.get("/anmalan/" + tokenA + "/avboka").send());
    assertEquals(200, confirm.statusCode());
    assertContains(confirm.bodyAsString(), "<h1>Vill du avboka?</h1>");
    HttpResponse<Buffer> cancelled = await(person.post("/anmalan/" + tokenA + "/avboka")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", field(confirm, CSRF_FIELD))));
    assertEquals(303, cancelled.statusCode(), cancelled.bodyAsString());

    assertEquals(1, seatsLeft(event.id), "two seats freed, one taken by the next in line");
    assertEquals(List.of("confirmed"), Db.column(app.databaseUrl, "select status from registration where email = 'bengt@example.org'"));
    assertContains(get("/anmalan/" + tokenB).bodyAsString(), "<strong>Du är anmäld</strong>");
    String after = await(person.get(cancelled.getHeader("Location")).send()).bodyAsString();
    assertContains(after, "Din anmälan är avbokad.");
    assertContains(after, "<strong>Avbokad</strong>");
    assertFalse(after.contains("action=\"/anmalan/" + tokenA + "\""), "a cancelled registration has no change form");
  }

  @Test
  void erasingRemovesThePersonAndTheLinkStopsWorking() {
    Event event = event(40, START, null);
    WebClientSession first = session();
    post(first, event.id, form(open(first, event.id), "Radera Mig", "radera.mig@example.org")
        .add("need.doftfri", "on").add("consent", "true"));
    String token = manageToken("radera.mig@example.org");
    WebClientSession person = session();
    HttpResponse<Buffer> confirm = await(person.get("/anmalan/" + token + "/radera").send());
    assertEquals(200, confirm.statusCode());
    assertContains(confirm.bodyAsString(), "Det går inte att ångra");
    HttpResponse<Buffer> erased = await(person.post("/anmalan/" + token + "/radera")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("X-XSRF-TOKEN", field(confirm, CSRF_FIELD))));
    assertEquals(303, erased.statusCode(), erased.bodyAsString());
    assertEquals("/anmalan/raderad", erased.getHeader("Location"));
    assertContains(get("/anmalan/raderad").bodyAsString(), "<h1>Dina uppgifter är raderade</h1>");

    assertEquals(0L, count("select count(*) from registration where name = 'Radera Mig' or email = 'radera.mig@example.org'"));
    assertEquals(0L, count("select count(*) from registration_need n join registration r on r.id = n.registration_id "
        + "where r.event_id = " + event.id));
    assertEquals(40, seatsLeft(event.id));
    for (String path : List.of("/anmalan/" + token, "/anmalan/" + token + "/radera", "/anmalan/" + token + "/mina-uppgifter",
        "/anmalan/" + token + "/mina-uppgifter.json", "/anmalan/not-a-token", "/anmalan/" + "x".repeat(500))) {
      HttpResponse<Buffer> gone = get(path);
      assertEquals(404, gone.statusCode(), path);
      assertContains(gone.bodyAsString(), "<h1>Länken fungerar inte</h1>");
      assertContains(gone.bodyAsString(), "Anmäl dig igen till evenemanget med samma e-postadress");
    }
  }

  @Test
  void myDataShowsEverythingHeldAboutTheRegistrationAndDownloadsAsJson() {
    Event event = event(40, START, null);
    WebClientSession first = session();
    post(first, event.id, form(open(first, event.id), "Ada Uppgift", "ada.uppgift@example.org")
        .add("phone", "070-765 43 21").add("organisationId", String.valueOf(orgId())).add("roleTitle", "Kassör")
        .add("session.0", String.valueOf(event.sessionA)).add("need.annat", "on").add("needDetail.annat", "Vilrum efter lunch")
        .add("need.teckensprakstolk", "on").add("diet", "halal").add("companion", "true").add("consent", "true"));
    String token = manageToken("ada.uppgift@example.org");
    String reference = (String) Db.column(app.databaseUrl, "select t.reference from ticket t join registration r "
        + "on r.id = t.registration_id where r.email = 'ada.uppgift@example.org'").get(0);
    // The organiser is told of her interpreter without her name, in the e-mail gathered for the event.
    SignUps.gatherOrganiserAlerts(app);
    SignUps.sendMail(app);

    assertContains(get("/anmalan/" + token).bodyAsString(), "href=\"/anmalan/" + token + "/mina-uppgifter\"");
    HttpResponse<Buffer> page = get("/anmalan/" + token + "/mina-uppgifter");
    assertEquals(200, page.statusCode(), page.bodyAsString());
    assertEquals("no-store", page.getHeader("Cache-Control"));
    String html = page.bodyAsString();
    for (String expected : List.of("<h1>Dina uppgifter</h1>", "Ada Uppgift", "ada.uppgift@example.org", "070-765 43 21",
        "DHR Region Halland (Idéburen)", "Kassör", "Workshop A – du har plats", "Vilrum efter lunch", "Teckenspråkstolk",
        "Halal", "Ja, med egen plats", "Anmälningsformuläret på webben", reference, "Bekräftelse med biljett – skickat till ada.uppgift@example.org",
        "Till arrangören: behov att boka (utan namn)", "bokas senast", "Du är inte incheckad.", "Du har inte svarat på utvärderingen.")) {
      assertContains(html, expected);
    }
    assertFalse(html.contains("reg."), "every text has a translation");
    String english = get("/anmalan/" + token + "/mina-uppgifter?lang=en").bodyAsString();
    assertContains(english, "<h1>Your data</h1>");
    assertContains(english, "Confirmation with ticket – sent to ada.uppgift@example.org");
    assertContains(english, "Sign-language interpreter");
    assertFalse(english.contains("reg."), "every text has a translation");

    HttpResponse<Buffer> file = get("/anmalan/" + token + "/mina-uppgifter.json");
    assertEquals(200, file.statusCode());
    assertTrue(file.getHeader("Content-Type").startsWith("application/json"), file.getHeader("Content-Type"));
    assertTrue(file.getHeader("Content-Disposition").startsWith("attachment;"), file.getHeader("Content-Disposition"));
    assertEquals("no-store", file.getHeader("Cache-Control"));
    JsonObject data = file.bodyAsJsonObject();
    JsonObject reg = data.getJsonObject("registration");
    assertEquals("Ada Uppgift", reg.getString("name"));
    assertEquals("ada.uppgift@example.org", reg.getString("email"));
    assertEquals("confirmed", reg.getString("status"));
    assertEquals(List.of("halal"), reg.getJsonArray("diet").getList());
    assertEquals(event.id, data.getJsonObject("event").getLong("id"));
    assertTrue(data.getJsonArray("needs").stream().map(o -> (JsonObject) o)
        .anyMatch(n -> "annat".equals(n.getString("code")) && "Vilrum efter lunch".equals(n.getString("detail"))), data.encode());
    assertEquals("Workshop A", data.getJsonArray("sessions").getJsonObject(0).getString("title"));
    assertEquals(reference, data.getJsonArray("tickets").getJsonObject(0).getString("reference"));
    assertTrue(data.getJsonArray("emails").stream().map(o -> (JsonObject) o)
        .anyMatch(m -> "confirmed".equals(m.getString("kind")) && m.getString("sentAt") != null), data.encode());
    assertEquals(1, data.getJsonArray("emails").stream().map(o -> (JsonObject) o)
        .filter(m -> "organiser_alert".equals(m.getString("kind"))).count(), data.encode());
    assertEquals(1, data.getJsonArray("organiserTasks").size());
    assertTrue(data.getJsonArray("checkins").isEmpty());
    assertTrue(data.getValue("feedback") == null);
    assertFalse(file.bodyAsString().contains(token), "the link itself is not data about the person");
  }

  // ------------------------------------------------------------------------------------------------ in a browser

  @Test
  @Tag(Browser.TAG)
  void theFormIsFilledAndSentWithTheKeyboardAloneAndEveryPageIsAccessible() {
    Event event = event(40, START, null);
    browser = Browser.shared();
    browser.reset();
    WebDriver driver = browser.driver();
    browser.open(app.url("/evenemang/" + event.id + "/anmalan"));
    browser.assertAccessible("the sign-up form");

    // Enter in a text field sends the form: nothing filled in yet, so errors.
    tabTo(driver, "name");
    keys(driver, Keys.ENTER);
    try {
      browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("error-summary-title")));
    } catch (RuntimeException e) {
      throw new AssertionError(driver.getCurrentUrl() + " " + driver.getTitle() + "\n" + driver.getPageSource(), e);
    }
    assertTrue(driver.getTitle().startsWith("Fel: "), driver.getTitle());
    browser.assertAccessible("the sign-up form with errors");

    tabTo(driver, "name");
    keys(driver, UNICODE_NAME);
    tabTo(driver, "email");
    keys(driver, "tangentbord@example.org");
    // A radio group is one Tab stop, on its checked radio ("Inget pass"); the arrow keys choose within it.
    tabTo(driver, "session-0-none");
    keys(driver, Keys.ARROW_UP);
    tabTo(driver, "needs");
    keys(driver, Keys.SPACE);
    tabTo(driver, "companion");
    keys(driver, Keys.SPACE);
    tabTo(driver, "consent");
    keys(driver, Keys.SPACE);
    tabToSubmit(driver);
    keys(driver, Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Tack – kolla din e-post"));
    browser.assertAccessible("the receipt");
    assertFalse(driver.getCurrentUrl().contains("?"), "nothing in the receipt's address: " + driver.getCurrentUrl());
    assertEquals(List.of(UNICODE_NAME), Db.column(app.databaseUrl, "select name from registration where email = 'tangentbord@example.org'"));
    assertEquals(List.of(true), Db.column(app.databaseUrl, "select companion from registration where email = 'tangentbord@example.org'"));
    assertEquals(List.of(event.sessionB), Db.column(app.databaseUrl, "select s.session_id from registration_session s "
        + "join registration r on r.id = s.registration_id where r.email = 'tangentbord@example.org'"));
    assertEquals(List.of("horslinga"), Db.column(app.databaseUrl, "select n.need_code from registration_need n "
        + "join registration r on r.id = n.registration_id where r.email = 'tangentbord@example.org'"));

    // The link as the person gets it: in the e-mail.
    browser.open(app.url("/anmalan/" + manageToken("tangentbord@example.org")));
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Din anmälan"));
    assertTrue(driver.getPageSource().contains(UNICODE_NAME));
    browser.assertAccessible("the manage page");

    tabToLink(driver, "Se alla dina uppgifter");
    keys(driver, Keys.ENTER);
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Dina uppgifter"));
    assertTrue(driver.getPageSource().contains("Hörslinga/teleslinga"));
    browser.assertAccessible("the page with all your data");

    browser.open(app.url("/anmalan/ingen-sadan-lank-alls-0000"));
    browser.waitUntil(ExpectedConditions.textToBe(By.tagName("h1"), "Länken fungerar inte"));
    browser.assertAccessible("the page for a link that does not work");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  record Event(long id, long sessionA, long sessionB, long sessionC) {}

  /** A published event with two parallel sessions at 10:00 and one at 12:00. */
  private static Event event(int capacity, OffsetDateTime start, OffsetDateTime opens) {
    OffsetDateTime day = start.withHour(9);
    JsonObject published = PublishedEvent.by(app, admin).title("Workshop om delaktighet").atVenue().startsAt(start)
        .endsAt(day.plusHours(7)).capacity(capacity)
        .sessions(new JsonArray()
            .add(session("Workshop A", day.plusHours(1), capacity))
            .add(session("Workshop B", day.plusHours(1), capacity))
            .add(session("Workshop C", day.plusHours(3), capacity)))
        .with("organiserName", "Arbetsgruppen").with("organiserEmail", "hok@example.org")
        .with("registrationOpensAt", opens == null ? null : opens.toString())
        .publish();
    JsonArray sessions = published.getJsonArray("sessions");
    return new Event(published.getLong("id"), sessionId(sessions, "Workshop A"), sessionId(sessions, "Workshop B"),
        sessionId(sessions, "Workshop C"));
  }

  private static JsonObject session(String title, OffsetDateTime start, int capacity) {
    return new JsonObject().put("title", title).put("startsAt", start.toString())
        .put("endsAt", start.plusHours(1).toString()).put("capacity", capacity);
  }

  private static long sessionId(JsonArray sessions, String title) {
    for (int i = 0; i < sessions.size(); i++) {
      if (title.equals(sessions.getJsonObject(i).getString("title"))) {
        return sessions.getJsonObject(i).getLong("id");
      }
    }
    throw new AssertionError("no session " + title + " in " + sessions.encode());
  }

  private static int seatsLeft(long eventId) {
    HttpResponse<Buffer> r = get("/api/v1/events/" + eventId);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getInteger("seatsLeft");
  }

  private static long orgId() {
    return (Long) Db.column(app.databaseUrl, "select id from organisation where name = 'DHR Region Halland'").get(0);
  }

  private static long count(String sql) {
    return (Long) Db.column(app.databaseUrl, sql).get(0);
  }

  /** A person with a browser's cookie jar (the CSRF cookie), no JavaScript. */
  private static WebClientSession session() {
    return WebClientSession.create(se.hok.samla.support.ContractCheck.on(app.vertx, WebClient.create(app.vertx,
        new WebClientOptions().setDefaultHost("localhost").setDefaultPort(app.port()).setFollowRedirects(false))));
  }

  private static HttpResponse<Buffer> open(WebClientSession person, long eventId) {
    HttpResponse<Buffer> page = await(person.get("/evenemang/" + eventId + "/anmalan").send());
    assertEquals(200, page.statusCode(), page.bodyAsString());
    return page;
  }

  /** The fields a page hands out (CSRF token, idempotency key) with a name and address filled in. */
  private static MultiMap form(HttpResponse<Buffer> page, String name, String email) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("X-XSRF-TOKEN", field(page, CSRF_FIELD))
        .add("idempotencyKey", field(page, KEY_FIELD))
        .add("name", name).add("email", email).add("language", "sv");
  }

  private static HttpResponse<Buffer> post(WebClientSession person, long eventId, MultiMap form) {
    return post(person, eventId, form, "");
  }

  /** Sends the sign-up form and, like a browser, follows the redirect to the receipt. */
  private static HttpResponse<Buffer> post(WebClientSession person, long eventId, MultiMap form, String query) {
    return follow(person, await(person.post("/evenemang/" + eventId + "/anmalan" + query).sendForm(form)));
  }

  private static HttpResponse<Buffer> follow(WebClientSession person, HttpResponse<Buffer> response) {
    return response.statusCode() == 303 ? await(person.get(response.getHeader("Location")).send()) : response;
  }

  private static HttpResponse<Buffer> signUp(long eventId, String name, String email) {
    WebClientSession person = session();
    HttpResponse<Buffer> r = post(person, eventId, form(open(person, eventId), name, email));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  private static HttpResponse<Buffer> get(String path) {
    return await(app.client.get(path).send());
  }

  /** The manage link, where the person gets it: in the e-mail to the address. */
  private static String manageToken(String email) {
    return SignUps.manageToken(app, email);
  }

  private static String field(HttpResponse<Buffer> page, Pattern pattern) {
    Matcher m = pattern.matcher(page.bodyAsString());
    if (!m.find()) {
      fail("no " + pattern + " on the page: " + page.bodyAsString());
    }
    return se.hok.samla.support.PageSession.unescape(m.group(1));
  }

  /** A link in the error summary to the field, with the message (after the field's name, where the summary shows it). */
  private static void assertErrorLink(String html, String fieldId, String message) {
    Pattern link = Pattern.compile("<a href=\"#" + Pattern.quote(fieldId) + "\">(?:[^<:]+: )?" + Pattern.quote(message) + "</a>");
    assertTrue(link.matcher(html).find(), () -> "expected an error-summary link to #" + fieldId + " saying <" + message + "> in:\n" + html);
  }

  private static void assertContains(String html, String expected) {
    assertTrue(html.contains(expected), () -> "expected <" + expected + "> in:\n" + html);
  }

  // Keyboard only: Tab moves focus, Space ticks, Enter sends. No clicks.

  private static void keys(WebDriver driver, CharSequence... keys) {
    new Actions(driver).sendKeys(keys).perform();
  }

  private static void tabTo(WebDriver driver, String id) {
    tabUntil(driver, e -> id.equals(e.getAttribute("id")), "#" + id);
  }

  private static void tabToSubmit(WebDriver driver) {
    tabUntil(driver, e -> "button".equals(e.getTagName()) && "submit".equals(e.getAttribute("type")), "the submit button");
  }

  private static void tabToLink(WebDriver driver, String text) {
    tabUntil(driver, e -> "a".equals(e.getTagName()) && text.equals(e.getText().strip()), "link " + text);
  }

  private static void tabUntil(WebDriver driver, java.util.function.Predicate<WebElement> target, String what) {
    for (int i = 0; i < 150; i++) {
      keys(driver, Keys.TAB);
      if (target.test(driver.switchTo().activeElement())) {
        return;
      }
    }
    fail("Tab never reached " + what + " on " + driver.getCurrentUrl());
  }
}
