package se.hok.samla.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.SignUps;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Organisation names (issue 20, item 5): the public list is searched by words in any order and by likeness, so "DHR
 * Halland" finds "DHR Region Halland"; the sign-up form offers the names as a keyboard-usable combobox (the form works
 * without it); a new name waits, and the organiser sees which accepted name it is like.
 */
@WithSamla
class OrganisationSuggestTest {
  static TestApp app;
  static String organiser;

  @BeforeAll
  static void start() {
    organiser = app.tokenFor("organiser");
    Db.exec(app.databaseUrl, """
        insert into organisation (name, sector, accepted_at) values
          ('DHR Region Halland', 'ideburen', now()), ('Studieförbundet Sensus', 'ideburen', now()),
          ('Parasport Halland', 'ideburen', now()), ('Region Halland', 'offentlig', now()),
          ('Hemlig Väntande Förening', 'ideburen', null)
        on conflict do nothing""");
  }


  static List<String> search(String q) {
    JsonObject body = await(app.client.get("/api/v1/organisations").addQueryParam("q", q).send()).bodyAsJsonObject();
    return body.getJsonArray("organisations").stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  void wordsInAnyOrderAndNamesLikeTheOneTypedAreFoundBestFirst() {
    assertEquals("DHR Region Halland", search("DHR Halland").get(0));
    assertEquals("DHR Region Halland", search("dhr halland").get(0));
    assertEquals(List.of("Studieförbundet Sensus"), search("sensus studie"));
    assertEquals("Parasport Halland", search("Parasport Haland").get(0), "a typo is forgiven");
    assertEquals("Region Halland", search("region halland").get(0), "the exact name first");
    assertFalse(search("Hemlig Väntande").contains("Hemlig Väntande Förening"), "a name not accepted is never listed");
    assertEquals(List.of(), search("zzzz qqqq"));
  }

  @Test
  void aNewNameWaitsAndTheOrganiserSeesTheAcceptedNameItIsLike() {
    OffsetDateTime start = OffsetDateTime.now().plusDays(30);
    long eventId = PublishedEvent.by(app, organiser).title("Dialogmöte").startsAt(start).publishId();
    SignUps.anonymously(app, eventId, new JsonObject().put("name", "Ny Medlem").put("email",
        "ny." + System.nanoTime() + "@example.org").put("organisationName", "DHR Halland").put("sector", "ideburen"));
    assertEquals(List.of((Object) false), Db.column(app.databaseUrl,
        "select accepted_at is not null from organisation where name = 'DHR Halland'"), "pending");
    assertFalse(search("DHR Halland").contains("DHR Halland"));
    PageSession staff = PageSession.staff(app, "organiser");
    String page = PageSession.unescape(staff.get("/arrangor/organisationer").bodyAsString());
    assertTrue(page.contains("DHR Halland<br><span class=\"hint\">Liknar: DHR Region Halland</span>"), page);
  }

  @Test
  @Tag(Browser.TAG)
  void theFormOffersTheNamesAsAComboboxByKeyboard() {
    OffsetDateTime start = OffsetDateTime.now().plusDays(31);
    long eventId = PublishedEvent.by(app, organiser).title("Workshop").startsAt(start).publishId();
    Browser browser = Browser.shared();
    browser.reset();
    try {
      WebDriver d = browser.driver();
      browser.open(app.url("/evenemang/" + eventId + "/anmalan?lang=sv"));
      browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("organisationName")));
      WebElement field = d.findElement(By.id("organisationName"));
      assertEquals("combobox", field.getDomAttribute("role"));
      field.sendKeys("DHR Hal");
      browser.waitUntil(ExpectedConditions.attributeToBe(field, "aria-expanded", "true"), Duration.ofSeconds(5));
      WebElement first = d.findElement(By.cssSelector("#organisationName-suggestions [role=option]"));
      assertEquals("DHR Region Halland", first.getText());
      try {
        browser.assertAccessible("sign-up form with organisation suggestions open");
      } catch (AssertionError e) {
        fail(e.getMessage());
      }
      field.sendKeys(Keys.ARROW_DOWN);
      assertEquals(first.getDomAttribute("id"), field.getDomAttribute("aria-activedescendant"));
      field.sendKeys(Keys.ENTER);
      assertEquals("DHR Region Halland", field.getDomProperty("value"));
      assertEquals("false", field.getDomAttribute("aria-expanded"));
      assertEquals(d.getCurrentUrl(), browser.driver().getCurrentUrl(), "Enter took the suggestion, it did not send the form");
      assertEquals("DHR Region Halland är vald.",
          d.findElement(By.cssSelector("#organisationName ~ [aria-live]")).getDomProperty("textContent"), "announced");
      field.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Parasport Hal");
      browser.waitUntil(ExpectedConditions.attributeToBe(field, "aria-expanded", "true"), Duration.ofSeconds(5));
      field.sendKeys(Keys.ESCAPE);
      assertEquals("false", field.getDomAttribute("aria-expanded"));
      assertEquals("Parasport Hal", field.getDomProperty("value"), "Escape closes the list and keeps what was typed");
    } finally {
      browser.reset();
    }
  }
}
