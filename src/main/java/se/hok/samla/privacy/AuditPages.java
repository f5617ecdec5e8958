package se.hok.samla.privacy;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Csv;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Templates;

/**
 * The admin's view of the audit log ({@code /admin/logg}): who read which people's data, for which event, when and
 * from where; filtered by event, person and dates; the same rows as CSV ({@code /admin/logg.csv}).
 */
public final class AuditPages {
  /** Rows on the page; the CSV carries up to {@link #CSV_ROWS}. */
  static final int PAGE_ROWS = 500;
  static final int CSV_ROWS = 100_000;
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private final AuditLog log;
  private final StaffAuth auth;
  private final Templates templates;

  public AuditPages(AuditLog log, StaffAuth auth, Templates templates) {
    this.log = log;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get("/admin/logg").handler(auth.page(Permission.ADMINISTER)).handler(this::page);
    router.get("/admin/logg.csv").handler(auth.page(Permission.ADMINISTER)).handler(this::csv);
  }

  /** A row as the page shows it. */
  public record Line(String at, String person, String event, Long eventId, String what, String needs, String people,
                     String address, String via) {}

  /** What the reader asked for, as typed, with a message per field that is wrong. */
  record Query(AuditLog.Filter filter, Map<String, String> errors, Map<String, String> input, String queryString) {
    static Query parse(RoutingContext ctx, Lang lang) {
      Map<String, String> input = new LinkedHashMap<>();
      for (String name : List.of("evenemang", "person", "fran", "till")) {
        String v = ctx.queryParams().get(name);
        input.put(name, v == null ? "" : v.strip());
      }
      Map<String, String> errors = new LinkedHashMap<>();
      Long event = id(input.get("evenemang"), "evenemang", errors, lang);
      Long person = id(input.get("person"), "person", errors, lang);
      LocalDate from = date(input.get("fran"), "fran", errors, lang);
      LocalDate to = date(input.get("till"), "till", errors, lang);
      if (from != null && to != null && to.isBefore(from)) {
        errors.put("till", Messages.get(lang, "access.log.error.toBeforeFrom"));
      }
      StringBuilder query = new StringBuilder();
      input.forEach((k, v) -> {
        if (!v.isEmpty()) {
          query.append(query.length() == 0 ? '?' : '&').append(k).append('=')
              .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
      });
      return new Query(new AuditLog.Filter(event, person, from, to), errors, input, query.toString());
    }

    private static Long id(String text, String field, Map<String, String> errors, Lang lang) {
      if (text.isEmpty()) {
        return null;
      }
      try {
        long id = Long.parseLong(text);
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      errors.put(field, Messages.get(lang, "access.log.error.choice"));
      return null;
    }

    private static LocalDate date(String text, String field, Map<String, String> errors, Lang lang) {
      if (text.isEmpty()) {
        return null;
      }
      try {
        LocalDate d = LocalDate.parse(text);
        if (d.getYear() >= 2000 && d.getYear() <= 2100) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      errors.put(field, Messages.get(lang, "access.log.error.date"));
      return null;
    }
  }

  private void page(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    Query q = Query.parse(ctx, lang);
    Future<AuditLog.Page> found = q.errors().isEmpty() ? log.find(q.filter(), PAGE_ROWS)
        : Future.succeededFuture(new AuditLog.Page(List.of(), 0));
    Future.all(found, log.events(), log.people()).compose(all -> {
      AuditLog.Page page = all.resultAt(0);
      Map<String, Object> model = new HashMap<>();
      model.put("lines", page.entries().stream().map(e -> line(e, lang)).toList());
      model.put("total", page.total());
      model.put("shown", page.entries().size());
      model.put("events", all.resultAt(1));
      model.put("people", all.resultAt(2));
      model.put("input", q.input());
      model.put("errors", q.errors());
      model.put("query", q.queryString());
      model.put("keepDays", AuditLog.KEEP_DAYS);
      return templates.render(ctx, q.errors().isEmpty() ? 200 : 400, "admin/audit-log", model);
    }).onFailure(ctx::fail);
  }

  private void csv(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    Query q = Query.parse(ctx, lang);
    if (!q.errors().isEmpty()) {
      ctx.fail(new io.vertx.ext.web.handler.HttpException(400, String.join(" ", q.errors().values())));
      return;
    }
    log.find(q.filter(), CSV_ROWS).map(page -> {
      Csv out = Csv.document();
      out.line(List.of("at", "person", "email", "event", "what", "needs", "people", "address", "via").stream()
          .map(k -> Messages.get(lang, "access.log.csv." + k)).toList());
      for (AuditLog.Entry e : page.entries()) {
        List<String> cells = new ArrayList<>();
        cells.add(format(e.at()));
        cells.add(e.staffName());
        cells.add(e.staffEmail());
        cells.add(e.eventId() == null ? null : e.eventTitle() + " (#" + e.eventId() + ")");
        cells.add(what(e.action(), lang));
        cells.add(Messages.get(lang, e.withNeeds() ? "event.yes" : "event.no"));
        cells.add(e.people() == null ? null : String.valueOf(e.people()));
        cells.add(e.clientAddress());
        cells.add(e.via());
        out.line(cells);
      }
      return out.toString();
    }).onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/csv; charset=utf-8")
            .putHeader("Content-Disposition", "attachment; filename=\"granskningslogg.csv\"")
            .putHeader("Cache-Control", "no-store")
            .end(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))))
        .onFailure(ctx::fail);
  }

  private static Line line(AuditLog.Entry e, Lang lang) {
    return new Line(format(e.at()), e.staffName() == null ? null : e.staffName() + " <" + e.staffEmail() + ">",
        e.eventTitle(), e.eventId(), what(e.action(), lang),
        Messages.get(lang, e.withNeeds() ? "event.yes" : "event.no"),
        e.people() == null ? "–" : String.valueOf(e.people()), e.clientAddress(), e.via());
  }

  /** The read in words; an action from before this log had words for it, as stored. */
  private static String what(String action, Lang lang) {
    String key = "access.log.read." + action;
    String text = Messages.get(lang, key);
    return text.equals(key) ? action : text;
  }

  private static String format(OffsetDateTime t) {
    return t == null ? null : WHEN.format(t.atZoneSameInstant(STOCKHOLM));
  }
}
