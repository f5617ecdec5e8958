package se.hok.samla.mail;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;

/**
 * The organiser's view of an event's e-mail: what is waiting, what failed and why, and a way to send again. The
 * queries behind it are in {@link MailStore}.
 */
public final class MailStatusPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  private final MailStore store;
  private final EventAccess access;
  private final AuditLog audit;
  private final Templates templates;

  public MailStatusPages(Pool pool, EventAccess access, AuditLog audit, Templates templates) {
    this.store = new MailStore(pool);
    this.access = access;
    this.audit = audit;
    this.templates = templates;
  }

  public record Line(long id, String kind, String recipient, String state, int attempts, String lastError, String created,
                     String sent) {}

  public void mount(Router router) {
    router.get("/arrangor/evenemang/:id/e-post").handler(access.page(EventRight.MANAGE)).handler(this::page);
    router.post("/arrangor/evenemang/:id/e-post/:mail/skicka-igen").handler(access.page(EventRight.MANAGE)).handler(this::resend);
  }

  private void page(RoutingContext ctx) {
    long eventId = id(ctx, "id");
    store.eventTitle(eventId)
        .compose(title -> {
          if (title.isEmpty()) {
            throw new NotFoundException("event");
          }
          return store.outboxOfEvent(eventId)
              // The page shows who was (or will be) written to: logged as a read of those people.
              .compose(rows -> audit.read(ctx, eventId, AuditLog.Read.MAIL_STATUS, false,
                  (int) rows.stream().map(MailStore.StatusRow::recipient).distinct().count()).map(rows))
              .compose(rows -> {
                List<Line> lines = new ArrayList<>();
                for (MailStore.StatusRow r : rows) {
                  String state = r.failedAt() != null ? "failed" : r.sentAt() != null ? r.outcome() : "pending";
                  lines.add(new Line(r.id(), r.kind(), r.recipient(), state, r.attempts(), r.lastError(),
                      format(r.createdAt()), format(r.sentAt())));
                }
                Map<String, Object> model = new HashMap<>();
                model.put("eventId", eventId);
                model.put("title", title.get());
                model.put("lines", lines);
                model.put("failed", lines.stream().filter(l -> l.state().equals("failed")).count());
                model.put("pending", lines.stream().filter(l -> l.state().equals("pending")).count());
                model.put("resent", ctx.queryParams().contains("skickat"));
                return templates.render(ctx, "organiser/mail", model);
              });
        })
        .onFailure(ctx::fail);
  }

  /** Sends the mail again as a new outbox row (new Message-ID), rendered from current data like any other. */
  private void resend(RoutingContext ctx) {
    long eventId = id(ctx, "id");
    long mailId = id(ctx, "mail");
    store.copyForResend(mailId, eventId)
        .onSuccess(copy -> {
          if (copy.isEmpty()) {
            ctx.fail(new NotFoundException("mail"));
          } else {
            ctx.redirect("/arrangor/evenemang/" + eventId + "/e-post?skickat=1");
          }
        })
        .onFailure(ctx::fail);
  }

  private static String format(OffsetDateTime t) {
    return t == null ? "" : WHEN.format(t.atZoneSameInstant(STOCKHOLM));
  }

  private static long id(RoutingContext ctx, String name) {
    return se.hok.samla.web.PathIds.id(ctx, name);
  }
}
