package se.hok.samla.checkin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import se.hok.samla.support.Browser;
import se.hok.samla.support.Db;
import se.hok.samla.support.Mails;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * The door page in a real headless Chromium: a fake camera shows the QR code from a real ticket e-mail, a
 * handheld scanner types a code plus Enter, a name is found and checked in by hand, the counts follow live,
 * and a check-in made while the network is down is sent when it comes back.
 */
@WithSamla
@Tag(Browser.TAG)
class CheckinPageTest {
  static TestApp app;
  static Door door;
  static Browser browser;
  static Path video;
  static long event;
  static Door.Person camera;
  static String email = "checkin-staff-" + System.nanoTime() + "@test.example";
  static final String PASSWORD = "password-for-door-123";

  @BeforeAll
  static void start() throws Exception {
    door = new Door(app);
    Db.exec(app.databaseUrl, "insert into staff_user (email, name, password_hash, role) values ('" + email
        + "', 'Dörrvakt', '" + Db.argon2(PASSWORD) + "', 'checkin')");
    event = door.event("Samverkanskonferens", 50, null);
    app.assignEmail(event, email, "door");
    JsonObject needs = new JsonObject().put("consent", true)
        .put("needs", new JsonArray().add(new JsonObject().put("code", "horslinga")));
    String address = "kamera-" + System.nanoTime() + "@example.org";
    camera = door.signUp(event, "Kamilla Kamera", needs.put("email", address));
    // The QR code exactly as the participant got it: the inline image of the real ticket e-mail.
    byte[] png = Mails.bytes(Mails.await(app, address, 1).get(0), "image/png");
    video = Files.createTempFile("ticket-qr", ".y4m");
    writeY4m(ImageIO.read(new ByteArrayInputStream(png)), video);
    browser = Browser.start(List.of("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        "--use-file-for-fake-video-capture=" + video));
    signIn();
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.close();
    }
    Files.deleteIfExists(video);
  }

  static void signIn() {
    WebDriver d = browser.driver();
    browser.open(app.url("/login"));
    d.findElement(By.id("email")).sendKeys(email);
    d.findElement(By.id("password")).sendKeys(PASSWORD);
    d.findElement(By.cssSelector("form button[type=submit]")).click();
    browser.waitUntil(ExpectedConditions.urlContains("/arrangor"));
  }

  /** A still picture as a Y4M video (what Chromium's fake camera plays, in a loop): the QR on a white page. */
  static void writeY4m(BufferedImage qr, Path file) throws IOException {
    int w = 640;
    int h = 480;
    BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    // As the e-mail has it, whole pixels per module (360 px, 8 per module). Stretched to 400 px by nearest neighbour,
    // the modules became 8 or 9 pixels wide at random places, which no camera makes, and some codes could not be read.
    int size = qr.getWidth();
    g.drawImage(qr, (w - size) / 2, (h - size) / 2, null);
    g.dispose();
    byte[] y = new byte[w * h];
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        int rgb = frame.getRGB(col, row);
        int lum = (int) (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff));
        y[row * w + col] = (byte) lum;
      }
    }
    byte[] chroma = new byte[(w / 2) * (h / 2)];
    java.util.Arrays.fill(chroma, (byte) 128);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(("YUV4MPEG2 W" + w + " H" + h + " F10:1 Ip A1:1 C420jpeg\n").getBytes(StandardCharsets.US_ASCII));
      for (int f = 0; f < 10; f++) {
        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
        out.write(y);
        out.write(chroma);
        out.write(chroma);
      }
    }
  }

  private WebElement openDesk() {
    browser.open(app.url("/arrangor/evenemang/" + event + "/incheckning"));
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-ready", "true"), Duration.ofSeconds(30));
    return browser.driver().findElement(By.id("result"));
  }

  private static String resultOf(WebElement result, String expected) {
    try {
      browser.waitUntil(ExpectedConditions.attributeToBe(result, "data-result", expected), Duration.ofSeconds(30));
    } catch (org.openqa.selenium.TimeoutException e) {
      WebDriver d = browser.driver();
      throw new AssertionError("no '" + expected + "' at the door; it shows: [" + result.getText() + "], camera: ["
          + d.findElement(By.id("camera-status")).getText() + "], data-camera="
          + d.findElement(By.id("desk")).getAttribute("data-camera") + ", video "
          + ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
              "const v = document.getElementById('camera'); return v.videoWidth + 'x' + v.videoHeight + ' ' + v.readyState;"), e);
    }
    return result.getText();
  }

  @Test
  void theCameraReadsTheQrOfARealTicketEmailAndLetsThePersonIn() {
    WebElement result = openDesk();
    browser.driver().findElement(By.id("camera-start")).click();
    String text = resultOf(result, "ok");
    assertTrue(text.contains("Kamilla Kamera"), text);
    assertTrue(text.contains("Hörslinga"), "the need the door should act on: " + text);
    assertTrue(text.contains("Välkommen"), text);
    browser.driver().findElement(By.id("camera-stop")).click();
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where undone_at is null and registration_id = '"
        + camera.id() + "'"));
  }

  @Test
  void aHandheldScannerTypesTheCodeAndEnterAndASecondScanSaysAlreadyCheckedIn() {
    Door.Person p = door.signUp(event, "Hanna Handskanner", null);
    String code = door.ticket(event, p).code();
    WebElement result = openDesk();
    WebElement input = browser.driver().findElement(By.id("code"));
    assertEquals(input, browser.driver().switchTo().activeElement(), "the scanner's input has the focus");
    input.sendKeys(code + Keys.ENTER);
    assertTrue(resultOf(result, "ok").contains("Hanna Handskanner"));
    input = browser.driver().findElement(By.id("code"));
    input.sendKeys(code.toLowerCase() + Keys.ENTER);
    String again = resultOf(result, "already_checked_in");
    assertTrue(again.contains("Redan incheckad"), again);
    assertEquals("status", result.getAttribute("role"));
    assertEquals("assertive", result.getAttribute("aria-live"));

    input.sendKeys("NOTAVALIDCODE" + Keys.ENTER);
    assertTrue(resultOf(result, "invalid").contains("Biljetten känns inte igen"));

    // Undo the last check-in (the first scan): the person can be checked in again.
    input.sendKeys(door.ticket(event, door.signUp(event, "Ulla Ångra", null)).code() + Keys.ENTER);
    resultOf(result, "ok");
    browser.driver().findElement(By.id("undo")).click();
    browser.waitUntil(ExpectedConditions.textToBePresentInElement(result, "ångrades"));
    assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from checkin c join registration r on r.id = c.registration_id"
        + " where r.name = 'Ulla Ångra' and c.undone_at is null"));
  }

  @Test
  void aNameFoundByHandIsCheckedInWithOneClickAndTheCountsFollowLive() {
    Door.Person p = door.signUp(event, "Manuel Manuell", null);
    door.ticket(event, p);
    WebElement result = openDesk();
    WebElement count = browser.driver().findElement(By.cssSelector("[data-count=checkedIn]"));
    long before = Long.parseLong(count.getText().strip());
    browser.driver().findElement(By.id("q")).sendKeys("manuel" + Keys.ENTER);
    WebElement button = browser.waitUntil(ExpectedConditions.elementToBeClickable(
        By.cssSelector("#search-results button")));
    assertTrue(button.getText().contains("Checka in"), button.getText());
    button.click();
    assertTrue(resultOf(result, "ok").contains("Manuel Manuell"));
    browser.waitUntil(ExpectedConditions.textToBePresentInElement(count, String.valueOf(before + 1)), Duration.ofSeconds(10));
    browser.assertAccessible("check-in page after a check-in");
  }

  @Test
  void aCheckInMadeOfflineIsVerifiedOnTheDeviceQueuedAndSentWhenTheNetworkReturns() {
    Door.Person p = door.signUp(event, "Olle Offline", null);
    String code = door.ticket(event, p).code();
    String invalidScans = "select count(*) from checkin_scan where result = 'invalid' and event_id = " + event;
    long invalidBefore = (Long) Db.column(app.databaseUrl, invalidScans).get(0);
    WebElement result = openDesk();
    ChromeDriver chrome = (ChromeDriver) browser.driver();
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    chrome.setNetworkConditions(offline);
    try {
      WebElement input = chrome.findElement(By.id("code"));
      input.sendKeys(code + Keys.ENTER);
      String text = resultOf(result, "ok");
      assertTrue(text.contains("Olle Offline") && text.contains("offline"), text);
      browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-queued", "1"));
      String forged = code.substring(0, 20) + (code.charAt(20) == 'A' ? 'B' : 'A') + code.substring(21);
      input.sendKeys(forged + Keys.ENTER);
      resultOf(result, "invalid");
      assertEquals(List.of(0L), Db.column(app.databaseUrl, "select count(*) from checkin where registration_id = '" + p.id() + "'"));
    } finally {
      chrome.deleteNetworkConditions();
    }
    // Back online: the queue is sent (on the browser's online event or the next retry), with the scan's time.
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-queued", "0"), Duration.ofSeconds(30));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where offline and registration_id = '"
        + p.id() + "'"));
    assertEquals(List.of(invalidBefore + 1), Db.column(app.databaseUrl, invalidScans), "the refused scan is recorded too");
  }

  @Test
  void aScanTheServerDoesNotAnswerInTimeIsDecidedOnTheDeviceAndSentAgainOnce() throws Exception {
    Door.Person p = door.signUp(event, "Vera Väntan", null);
    String code = door.ticket(event, p).code();
    WebElement result = openDesk();
    // The database holds the person's row: the server's answer waits for the lock, as when a database hangs.
    try (Door.HeldRow row = door.hold(p.id())) {
      long asked = System.nanoTime();
      browser.driver().findElement(By.id("code")).sendKeys(code + Keys.ENTER);
      String text = resultOf(result, "ok");
      long waited = (System.nanoTime() - asked) / 1_000_000;
      assertTrue(text.contains("Vera Väntan") && text.contains("offline"), text);
      assertTrue(waited < 15_000, "decided on the device after " + waited + " ms");
      browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-queued", "1"));
    }
    // The first request went through once the lock was gone; the queued copy is a replay and counts nothing.
    browser.waitUntil(ExpectedConditions.attributeToBe(By.id("desk"), "data-queued", "0"), Duration.ofSeconds(30));
    assertEquals(List.of(1L), Db.column(app.databaseUrl, "select count(*) from checkin where undone_at is null"
        + " and registration_id = '" + p.id() + "'"));
  }

  @Test
  void aWalkInWithAMistakeGetsAFieldMessageThenIsRegisteredAndCheckedIn() {
    WebElement result = openDesk();
    WebDriver d = browser.driver();
    d.findElement(By.id("walkin-name")).sendKeys("Vera Walkin");
    d.findElement(By.id("walkin-email")).sendKeys("inte-en-adress");
    d.findElement(By.cssSelector("#walkin-form button[type=submit]")).click();
    WebElement error = browser.waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("walkin-email-error")));
    assertTrue(error.getText().contains("e-post") || error.getText().contains("E-post"), error.getText());
    assertEquals("true", d.findElement(By.id("walkin-email")).getAttribute("aria-invalid"));
    assertEquals("Vera Walkin", d.findElement(By.id("walkin-name")).getAttribute("value"), "nothing typed is lost");
    browser.assertAccessible("check-in page with a walk-in field error");

    WebElement email = d.findElement(By.id("walkin-email"));
    email.clear();
    email.sendKeys("vera-" + System.nanoTime() + "@example.org");
    d.findElement(By.cssSelector("#walkin-form button[type=submit]")).click();
    assertTrue(resultOf(result, "ok").contains("Vera Walkin"));
    assertEquals(List.of("walk_in"), Db.column(app.databaseUrl, "select r.source from registration r join checkin c"
        + " on c.registration_id = r.id where r.name = 'Vera Walkin' and c.undone_at is null"));
  }

  @Test
  void theDeskIsForDoorStaffOnly() {
    se.hok.samla.support.PageSession viewer = se.hok.samla.support.PageSession.staff(app, "viewer");
    assertEquals(403, viewer.get("/arrangor/evenemang/" + event + "/incheckning").statusCode());
    assertEquals(403, viewer.get("/arrangor/evenemang/" + event + "/live").statusCode());
    se.hok.samla.support.PageSession anonymous = se.hok.samla.support.PageSession.anonymous(app);
    assertEquals(302, anonymous.get("/arrangor/evenemang/" + event + "/incheckning").statusCode());
    se.hok.samla.support.PageSession doorStaff = se.hok.samla.support.PageSession.signedIn(app, email, PASSWORD);
    assertEquals(404, doorStaff.get("/arrangor/evenemang/" + event + "/incheckning?pass=999999").statusCode());
    assertEquals(404, doorStaff.get("/arrangor/evenemang/" + event + "/incheckning?pass=abc").statusCode());
    // No such event: refused as any event that is not theirs, so that ids cannot be probed.
    assertEquals(403, doorStaff.get("/arrangor/evenemang/999999/incheckning").statusCode());

    String eventPage = se.hok.samla.support.PageSession.staff(app, "organiser").assign(event, "organiser")
        .get("/arrangor/evenemang/" + event).bodyAsString();
    assertTrue(eventPage.contains("data-live=\"/arrangor/evenemang/" + event + "/live\"")
        && eventPage.contains("/static/js/live.js"), "the organiser's event page follows the counts live");
  }
}
