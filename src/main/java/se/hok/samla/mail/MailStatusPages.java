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
import java.util.Objects;
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

  /** errorKey: the words for an error the worker describes itself (a relay that fell silent), else null. */
  public record Line(long id, String kind, String recipient, String state, int attempts, String lastError, String errorKey,
                     String created, String sent) {}

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
              // The page shows which participants were (or will be) written to: logged as a read of those people,
              // each once however many e-mails they have; the organiser's own e-mails name nobody on this page.
              .compose(rows -> audit.read(ctx, eventId, AuditLog.Read.MAIL_STATUS, false,
                  (int) rows.stream().map(MailStore.StatusRow::participant).filter(Objects::nonNull).distinct().count())
                  .map(rows))
              .compose(rows -> {
                List<Line> lines = new ArrayList<>();
                for (MailStore.StatusRow r : rows) {
                  String state = r.failedAt() != null ? "failed" : r.sentAt() != null ? r.outcome() : "pending";
                  lines.add(new Line(r.id(), r.kind(), r.recipient(), state, r.attempts(), r.lastError(),
                      errorKey(r.lastError()), format(r.createdAt()), format(r.sentAt())));
                }
                Map<String, Object> model = new HashMap<>();
                model.put("eventId", eventId);
                model.put("title", title.get());
                model.put("lines", lines);
                model.put("failed", lines.stream().filter(l -> l.state().equals("failed")).count());
                model.put("pending", lines.stream().filter(l -> l.state().equals("pending")).count());
                String outcome = ctx.queryParams().get("skickat");
                model.put("resent", outcome == null ? null : switch (outcome) {
                  case "nu", "pagar", "kopia", "skickat", "vantar" -> outcome;
                  default -> null;
                });
                return templates.render(ctx, "organiser/mail", model);
              });
        })
        .onFailure(ctx::fail);
  }

  /**
   * "Skicka igen": a waiting mail goes out now (still once); a sent or failed one gets a new copy (a new Message-ID),
   * one however often the button is pressed. The page then says which of these happened.
   */
  private void resend(RoutingContext ctx) {
    long eventId = id(ctx, "id");
    long mailId = id(ctx, "mail");
    store.resend(mailId, eventId)
        .onSuccess(done -> {
          if (done.isEmpty()) {
            ctx.fail(new NotFoundException("mail"));
            return;
          }
          String outcome = switch (done.get()) {
            case DUE_NOW -> "nu";
            case SENDING -> "pagar";
            case COPY -> "kopia";
            case COPY_OF_SENT -> "skickat";
            case COPY_WAITING -> "vantar";
          };
          ctx.redirect("/arrangor/evenemang/" + eventId + "/e-post?skickat=" + outcome);
        })
        .onFailure(ctx::fail);
  }

  private static String errorKey(String lastError) {
    if (lastError == null) {
      return null;
    }
    return lastError.startsWith(MailWorker.TIMEOUT) ? "mailstatus.error.timeout"
        : lastError.startsWith(MailWorker.CONNECTION_LOST) ? "mailstatus.error.silent" : null;
  }

  private static String format(OffsetDateTime t) {
    return t == null ? "" : WHEN.format(t.atZoneSameInstant(STOCKHOLM));
  }

  private static long id(RoutingContext ctx, String name) {
    return se.hok.samla.web.PathIds.id(ctx, name);
  }
}
