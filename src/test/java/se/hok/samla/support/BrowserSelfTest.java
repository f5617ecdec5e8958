package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Rule;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/** Proves the browser harness works and that the accessibility check can actually fail. */
@Tag(Browser.TAG)
class BrowserSelfTest {

  private static final String GOOD =
      """
      <!doctype html>
      <html lang="sv">
      <head><meta charset="utf-8"><title>Anmälan – Samla</title></head>
      <body>
        <header><p>Samla</p></header>
        <main>
          <h1>Anmälan</h1>
          <form method="post" action="/good">
            <label for="namn">Namn</label>
            <input id="namn" name="namn" type="text" autocomplete="name">
            <button type="submit">Skicka</button>
          </form>
        </main>
      </body>
      </html>
      """;

  private static final String BAD =
      """
      <!doctype html>
      <html>
      <head><meta charset="utf-8"><title>Otillgänglig</title></head>
      <body>
        <main>
          <h1>Otillgänglig</h1>
          <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E">
          <form><input id="x" name="x" type="text"></form>
        </main>
      </body>
      </html>
      """;

  private static HttpServer server;
  private static String base;
  private static Browser browser;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Map<String, String> pages = Map.of("/good", GOOD, "/bad", BAD);
    server.createContext(
        "/",
        exchange -> {
          String page = pages.get(exchange.getRequestURI().getPath());
          byte[] body = (page == null ? "not found" : page).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(page == null ? 404 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();

    long t0 = System.nanoTime();
    browser = Browser.shared();
    System.out.printf("[BrowserSelfTest] Browser.shared() took %d ms%n", ms(t0));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @BeforeEach
  void clean() {
    browser.reset();
  }

  @Test
  void accessiblePagePasses() {
    browser.open(base + "/good");
    assertEquals("Anmälan – Samla", browser.driver().getTitle());

    long t0 = System.nanoTime();
    browser.assertAccessible("accessible self-test page");
    System.out.printf("[BrowserSelfTest] axe run (clean page) took %d ms%n", ms(t0));
  }

  @Test
  void inaccessiblePageFailsNamingTheViolations() {
    browser.open(base + "/bad");

    long t0 = System.nanoTime();
    AssertionError error =
        assertThrows(AssertionError.class, () -> browser.assertAccessible("broken self-test page"));
    System.out.printf("[BrowserSelfTest] axe run (broken page) took %d ms%n", ms(t0));

    String message = error.getMessage();
    assertTrue(message.startsWith("broken self-test page: "), message);
    assertTrue(message.contains("[image-alt]"), message);
    assertTrue(message.contains("[label]"), message);
    assertTrue(message.contains("[html-has-lang]"), message);
    // Enough to fix it from the message alone: selector and markup of the offending nodes.
    assertTrue(message.contains("img"), message);
    assertTrue(message.contains("<input id=\"x\" name=\"x\" type=\"text\">"), message);
    assertTrue(message.contains("impact=critical"), message);

    Set<String> ids =
        browser.axe().violations().stream().map(Rule::getId).collect(Collectors.toSet());
    assertTrue(ids.containsAll(Set.of("image-alt", "label", "html-has-lang")), ids.toString());
  }

  @Test
  void screenshotWritesAPng() throws IOException {
    browser.open(base + "/good");
    Path png = Path.of("target", "browser-selftest", "good.png");
    Files.deleteIfExists(png);
    browser.screenshot(png);
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 100, "screenshot too small: " + bytes.length);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals('P', bytes[1]);
  }

  @Test
  void browserSpeaksSwedishAndResetForgetsCookies() {
    browser.open(base + "/good");
    Object lang =
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
            .executeScript("return navigator.language");
    assertEquals("sv-SE", lang);
    browser.driver().manage().addCookie(new Cookie("session", "abc"));
    browser.driver().findElement(By.id("namn")).sendKeys("Anna");

    browser.reset();
    browser.open(base + "/good");
    assertTrue(browser.driver().manage().getCookies().isEmpty());
    assertFalse(browser.driver().getCurrentUrl().isEmpty());
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
