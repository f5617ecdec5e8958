package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import se.hok.samla.support.Db;
import se.hok.samla.support.PageSession;
import se.hok.samla.support.StaffAccount;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/**
 * Every link a person is shown leads somewhere: signed in as each role (and as nobody), in Swedish and in English,
 * on the demo data, this follows every link on every page it reaches (same site, GET) and finds no page answering
 * 4xx or 5xx, and no page showing a raw value where a text belongs ({@code true}, {@code false}, {@code null},
 * {@code {0}}) – the kind of slip strict texts cannot see (issue 18: "Årsuppföljning true att skriva ut…").
 */
@WithSamla(env = "SAMLA_DEMO=true")
class CrawlerTest {
  /** Links that change state or leave the session, or only switch the language (each crawl keeps one). */
  private static final Pattern NOT_FOLLOWED = Pattern.compile("^/(logout|loggaut)|[?&]lang=|^/dev/mail");
  private static final Pattern HREF = Pattern.compile("href=\"(/[^\"#]*)(#[^\"]*)?\"");
  private static final Pattern TAG = Pattern.compile("<script.*?</script>|<style.*?</style>|<[^>]+>", Pattern.DOTALL);
  private static final Pattern RAW = Pattern.compile("(?<![\\w-])(true|false|null)(?![\\w-])|\\{\\d\\}");
  /** A bound, far above what the demo data gives, so a link that makes new links cannot run away. */
  private static final int MOST_PAGES = 1500;

  static TestApp app;
  private static long event;

  @BeforeAll
  static void anEventForTheOrganiserAndTheDoor() {
    event = ((Number) Db.column(app.databaseUrl, "select id from event where status = 'published' and starts_at > now() "
        + "and venue_id is not null order by starts_at limit 1").get(0)).longValue();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({"nobody, sv", "nobody, en", "admin, sv", "admin, en", "organiser, sv", "organiser, en", "door, sv",
      "door, en", "viewer, sv", "viewer, en"})
  void everyLinkOnEveryPageLeadsToAPageWithItsTexts(String role, String lang) {
    PageSession session = session(role);
    assertEquals(200, session.get("/?lang=" + lang).statusCode());
    List<String> problems = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    Deque<String[]> queue = new ArrayDeque<>();
    // Where people start; everything else is reached by the links each of them is shown.
    for (String start : role.equals("nobody") ? List.of("/") : List.of("/", "/arrangor")) {
      queue.add(new String[] {start, "(start)"});
      seen.add(start);
    }
    while (!queue.isEmpty() && seen.size() < MOST_PAGES) {
      String[] next = queue.poll();
      String path = next[0];
      HttpResponse<Buffer> page = session.get(path);
      if (page.statusCode() >= 400) {
        problems.add(page.statusCode() + " " + path + " (linked from " + next[1] + ")");
        continue;
      }
      String type = String.valueOf(page.getHeader("Content-Type"));
      if (!type.startsWith("text/html")) {
        continue;  // a download (CSV, XLSX, PDF, calendar): its answer is what is checked here
      }
      String html = page.bodyAsString();
      Matcher raw = RAW.matcher(PageSession.unescape(TAG.matcher(html).replaceAll(" ")));
      if (raw.find()) {
        problems.add("\"" + raw.group() + "\" shown on " + path);
      }
      Matcher link = HREF.matcher(html);
      while (link.find()) {
        String target = PageSession.unescape(link.group(1));
        if (target.contains("/true") || target.contains("/false") || target.contains("/null")) {
          problems.add("link " + target + " on " + path);
        } else if (!target.startsWith("//") && !NOT_FOLLOWED.matcher(target).find() && seen.add(target)) {
          queue.add(new String[] {target, path});
        }
      }
    }
    assertTrue(seen.size() < MOST_PAGES, "the crawl ran away: " + seen.size() + " links");
    assertTrue(seen.size() > 5, "the crawl found links: " + seen);
    assertEquals(List.of(), problems, role + " in " + lang + ", " + seen.size() + " links followed");
  }

  private static PageSession session(String role) {
    Supplier<PageSession> made = switch (role) {
      case "nobody" -> () -> PageSession.anonymous(app);
      case "admin" -> () -> StaffAccount.admin(app).session();
      case "organiser" -> () -> PageSession.staff(app, "organiser").assign(event, "organiser");
      // Door staff: the account's role is "checkin", its duty on the event "door".
      case "door" -> () -> PageSession.staff(app, "checkin").assign(event, "door");
      default -> () -> PageSession.staff(app, role);
    };
    return made.get();
  }
}
