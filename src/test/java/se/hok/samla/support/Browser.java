package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.results.CheckedNode;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for browser tests, driven through Selenium + the Debian {@code chromedriver}.
 *
 * <p>Start-up costs a second or more on a busy machine, so the browser classes share {@link #shared()}, one browser for
 * the whole test JVM (closed by a shutdown hook; its {@link #close()} is a no-op, so try-with-resources is harmless),
 * and call {@link #reset()} before each test. Only a class that needs launch flags of its own (the door's fake
 * camera) starts one with {@link #start(List)}. Every class or test that drives Chromium is tagged {@value #TAG}, so
 * that {@code -DexcludedGroups=browser} leaves them out (README, "Test it").
 *
 * <p>Never lets Selenium Manager download anything: the browser binary and the driver are fixed to
 * the Debian packages ({@code apt-get install -y chromium chromium-driver}).
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** WCAG 2.1 A + AA, the level we promise. */
  public static final List<String> AXE_TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

  /** The JUnit tag of tests that drive Chromium. */
  public static final String TAG = "browser";

  public static final int WIDTH = 1280;
  public static final int HEIGHT = 900;

  static final List<String> DEFAULT_ARGS =
      List.of(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-extensions",
          "--password-store=basic",
          "--lang=sv-SE",
          "--window-size=" + WIDTH + "," + HEIGHT);

  // Selenium 4.38 bundles CDP bindings only up to ~v142; with a newer Chromium it logs a noisy
  // WARNING on every start. We do not use the versioned DevTools API, so hush it. (Strong refs:
  // java.util.logging only keeps weak references to loggers.)
  private static final List<Logger> QUIET_LOGGERS =
      Stream.of(
              "org.openqa.selenium.devtools.CdpVersionFinder",
              "org.openqa.selenium.chromium.ChromiumDriver",
              "org.openqa.selenium.devtools.Connection")
          .map(Logger::getLogger)
          .peek(l -> l.setLevel(Level.SEVERE))
          .toList();

  private static Browser shared;

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profileDir;
  private final boolean isShared;
  private boolean closed;

  private Browser(ChromeDriver driver, ChromeDriverService service, Path profileDir, boolean isShared) {
    this.driver = driver;
    this.service = service;
    this.profileDir = profileDir;
    this.isShared = isShared;
  }

  /** Starts a fresh headless Chromium with the default flags and an empty temporary profile. */
  public static Browser start() {
    return start(List.of());
  }

  /**
   * Starts a fresh headless Chromium; {@code extraArgs} are appended to the default flags (e.g.
   * {@code --use-fake-device-for-media-stream}, {@code --use-fake-ui-for-media-stream},
   * {@code --use-file-for-fake-video-capture=/tmp/qr.y4m}).
   */
  public static Browser start(List<String> extraArgs) {
    return launch(extraArgs, false);
  }

  /**
   * One browser for the whole test JVM, started on first use and quit by a shutdown hook. Call {@link #reset()} before
   * using it (cookies, storage and an emulated screen survive otherwise). {@link #close()} on it does nothing.
   * Scrollbars are hidden, so that a page is as wide as the window, as on a phone (ReflowTest).
   */
  public static synchronized Browser shared() {
    if (shared == null || shared.closed) {
      Browser b = launch(List.of("--hide-scrollbars"), true);
      Runtime.getRuntime().addShutdownHook(new Thread(b::quit, "samla-browser-shutdown"));
      shared = b;
    }
    return shared;
  }

  /**
   * Closes the shared browser's idle connections (if it runs), so that an app the test stops now need not wait for
   * Chromium's keep-alive sockets in its graceful shutdown.
   */
  public static synchronized void releaseSharedConnections() {
    if (shared == null || shared.closed) {
      return;
    }
    try {
      shared.driver.get("chrome://net-internals/#sockets");
      shared.driver.executeScript(
          "var b = document.getElementById('sockets-view-flush-button'); if (b) { b.click(); }");
      shared.driver.get("about:blank");
    } catch (WebDriverException e) {
      // only slower: the app waits out its grace
    }
  }

  private static Browser launch(List<String> extraArgs, boolean isShared) {
    requireInstalled(CHROMIUM, "chromium");
    requireInstalled(CHROMEDRIVER, "chromedriver");

    Path profile;
    try {
      profile = Files.createTempDirectory("samla-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(DEFAULT_ARGS);
    options.addArguments("--user-data-dir=" + profile);
    options.addArguments(extraArgs);
    options.setExperimentalOption(
        "prefs", Map.of("intl.accept_languages", "sv-SE,sv", "credentials_enable_service", false));

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            // A port of this fork's (Ports): chromedriver listens on whatever of 127.0.0.1 and ::1 it can bind, so a
            // randomly probed port could end up shared with another fork's server.
            .usingPort(Ports.next())
            .withTimeout(Duration.ofSeconds(30))
            .build();
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteRecursively(profile);
      throw new AssertionError(
          "Could not start headless Chromium ("
              + CHROMIUM
              + ") through "
              + CHROMEDRIVER
              + ". Their versions must match (both come from Debian: apt-get install -y chromium"
              + " chromium-driver). Cause: "
              + e.getMessage(),
          e);
    }
    try {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
      driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    } catch (RuntimeException e) {
      driver.quit();
      deleteRecursively(profile);
      throw e;
    }
    return new Browser(driver, service, profile, isShared);
  }

  private static void requireInstalled(Path exe, String what) {
    if (!Files.isExecutable(exe)) {
      fail(
          what
              + " not found at "
              + exe
              + ". Browser tests need Debian's Chromium and its driver: run"
              + " `apt-get install -y chromium chromium-driver` (as root) and re-run the tests.");
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** Navigates to {@code url} and waits for the page load (document.readyState complete). */
  public void open(String url) {
    driver.get(url);
  }

  /** Waits up to 10 s for {@code condition}, e.g. {@code ExpectedConditions.titleContains(..)}. */
  public <T> T waitUntil(ExpectedCondition<T> condition) {
    return waitUntil(condition, Duration.ofSeconds(10));
  }

  public <T> T waitUntil(ExpectedCondition<T> condition, Duration timeout) {
    return new WebDriverWait(driver, timeout).until(condition);
  }

  /**
   * Waits up to 10 s until the page's {@code h1} says {@code heading}; else fails with what the page shows instead.
   * While a form's answer replaces the page, Chromium may answer a look at the old page with an error (its document is
   * going away): that is the page changing, not a fault, so the wait looks again.
   */
  public void awaitHeading(String heading) {
    try {
      new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.WebDriverException.class)
          .until(ExpectedConditions.textToBePresentInElementLocated(org.openqa.selenium.By.tagName("h1"), heading));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("expected the heading \"" + heading + "\" at " + driver.getCurrentUrl() + ": "
          + driver.findElement(org.openqa.selenium.By.tagName("body")).getText(), e);
    }
  }

  /** Opens {@code url} and waits for its heading (see {@link #awaitHeading}). */
  public void openAt(String url, String heading) {
    open(url);
    awaitHeading(heading);
  }

  /**
   * Forgets the previous test's state: cookies (sessions), local/session storage of the current
   * origin, extra tabs; ends on about:blank. Much cheaper than a new browser.
   */
  public void reset() {
    List<String> handles = new ArrayList<>(driver.getWindowHandles());
    for (int i = 1; i < handles.size(); i++) {
      driver.switchTo().window(handles.get(i)).close();
    }
    driver.switchTo().window(handles.get(0));
    try {
      ((JavascriptExecutor) driver)
          .executeScript(
              "try { localStorage.clear(); sessionStorage.clear(); } catch (e) {}");
    } catch (WebDriverException ignored) {
      // about:blank, data: URLs etc. have no storage
    }
    // WebDriver's deleteAllCookies only reaches the current page's domain; after an earlier reset (about:blank, a
    // chrome:// page) it reached none, and a stale localhost CSRF cookie from another test's app survived. The
    // DevTools command clears every domain's cookies.
    driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    driver.manage().deleteAllCookies();
    // A screen another test emulated (ReflowTest's phone) and a window it resized.
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
    if (!driver.manage().window().getSize().equals(new Dimension(WIDTH, HEIGHT))) {
      driver.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
    }
    driver.get("about:blank");
  }

  /** Runs axe-core (WCAG 2.1 A/AA) on the current page. */
  public AxeReport axe() {
    Results results = new AxeBuilder().withTags(AXE_TAGS).analyze(driver);
    if (results.isErrored()) {
      throw new AssertionError(
          "axe-core could not analyse " + driver.getCurrentUrl() + ": " + results.getErrorMessage(),
          results.getError());
    }
    return new AxeReport(driver.getCurrentUrl(), results);
  }

  /**
   * Fails with an {@link AssertionError} listing every WCAG 2.1 A/AA violation axe finds on the
   * current page (rule id, impact, help, and selector + HTML of each offending node).
   */
  public void assertAccessible(String description) {
    AxeReport report = axe();
    if (!report.violations().isEmpty()) {
      throw new AssertionError(description + ": " + report.describe());
    }
  }

  /** Saves a PNG of the whole page (not just the viewport), creating parent directories. */
  public void screenshot(Path png) {
    byte[] bytes;
    try {
      bytes = fullPageScreenshot();
    } catch (RuntimeException e) {
      bytes = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }
    try {
      Path parent = png.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(png, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private byte[] fullPageScreenshot() {
    // Raw CDP through chromedriver's goog/cdp endpoint: needs no version-specific bindings.
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    long width = Math.max(1, Math.round(((Number) size.get("width")).doubleValue()));
    long height = Math.max(1, Math.round(((Number) size.get("height")).doubleValue()));
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** Quits the browser and deletes its temporary profile. No-op for {@link #shared()}. */
  @Override
  public void close() {
    if (!isShared) {
      quit();
    }
  }

  private synchronized void quit() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      driver.quit();
    } catch (RuntimeException ignored) {
      // already gone
    } finally {
      service.stop();
      deleteRecursively(profileDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    // Chromium may still be flushing the profile for a moment after quit().
    for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException | UncheckedIOException ignored) {
        // retry
      }
      if (Files.exists(dir)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** axe-core's verdict on one page. */
  public record AxeReport(String url, Results results) {

    public List<Rule> violations() {
      List<Rule> v = results.getViolations();
      return v == null ? List.of() : v;
    }

    /** Rules axe could not decide ("needs review"); informative, never fails a test. */
    public List<Rule> incomplete() {
      List<Rule> v = results.getIncomplete();
      return v == null ? List.of() : v;
    }

    public boolean isClean() {
      return violations().isEmpty();
    }

    /** Human-readable list of violations, enough to fix them without rerunning anything. */
    public String describe() {
      List<Rule> violations = violations();
      if (violations.isEmpty()) {
        return "no axe violations at " + url;
      }
      int nodes = violations.stream().mapToInt(r -> r.getNodes() == null ? 0 : r.getNodes().size()).sum();
      StringBuilder sb = new StringBuilder();
      sb.append(violations.size())
          .append(" axe-core WCAG 2.1 A/AA violation(s), ")
          .append(nodes)
          .append(" element(s), at ")
          .append(url)
          .append('\n');
      for (Rule rule : violations) {
        sb.append("\n[")
            .append(rule.getId())
            .append("] impact=")
            .append(rule.getImpact())
            .append(": ")
            .append(rule.getHelp())
            .append("\n    ")
            .append(rule.getHelpUrl())
            .append('\n');
        if (rule.getNodes() != null) {
          for (CheckedNode node : rule.getNodes()) {
            sb.append("  - target: ").append(node.getTarget()).append('\n');
            sb.append("    html:   ").append(oneLine(node.getHtml())).append('\n');
            String summary = node.getFailureSummary();
            if (summary != null && !summary.isBlank()) {
              sb.append("    fix:    ")
                  .append(summary.strip().replace("\n", "\n            "))
                  .append('\n');
            }
          }
        }
      }
      return sb.toString();
    }

    private static String oneLine(String html) {
      if (html == null) {
        return "";
      }
      String s = html.replaceAll("\\s+", " ").strip();
      return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
  }
}
