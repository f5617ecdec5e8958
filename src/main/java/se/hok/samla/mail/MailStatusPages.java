package se.hok.samla.mail;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;

/** The organiser's view of an event's e-mail: what is waiting, what failed and why, and a way to send again. */
public final class MailStatusPages {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  private final Pool pool;
  private final StaffAuth auth;
  private final Templates templates;

  public MailStatusPages(Pool pool, StaffAuth auth, Templates templates) {
    this.pool = pool;
    this.auth = auth;
    this.templates = templates;
  }

  public record Line(long id, String kind, String recipient, String state, int attempts, String lastError, String created,
                     String sent) {}

  public void mount(Router router) {
    router.get("/arrangor/evenemang/:id/e-post").handler(auth.page(Permission.ORGANISE)).handler(this::page);
    router.post("/arrangor/evenemang/:id/e-post/:mail/skicka-igen").handler(auth.page(Permission.ORGANISE)).handler(this::resend);
  }

  private void page(RoutingContext ctx) {
    long eventId = id(ctx, "id");
    pool.preparedQuery("select title_sv from event where id = $1").execute(Tuple.of(eventId))
        .compose(event -> {
          if (event.size() == 0) {
            throw new NotFoundException("event");
          }
          return pool.preparedQuery("""
                  select o.id, o.kind, coalesce(o.recipient, r.email) as recipient, o.attempts, o.last_error, o.created_at,
                    o.sent_at, o.outcome, o.failed_at
                  from outbox o left join registration r on r.id = o.registration_id
                  where o.event_id = $1
                  order by (o.failed_at is null), (o.sent_at is not null), o.id desc limit 500""")
              .execute(Tuple.of(eventId))
              .compose(rows -> {
                List<Line> lines = new ArrayList<>();
                for (Row r : rows) {
                  String state = r.getOffsetDateTime("failed_at") != null ? "failed"
                      : r.getOffsetDateTime("sent_at") != null ? r.getString("outcome") : "pending";
                  lines.add(new Line(r.getLong("id"), r.getString("kind"), r.getString("recipient"), state,
                      r.getInteger("attempts"), r.getString("last_error"), format(r.getOffsetDateTime("created_at")),
                      format(r.getOffsetDateTime("sent_at"))));
                }
                Map<String, Object> model = new HashMap<>();
                model.put("eventId", eventId);
                model.put("title", event.iterator().next().getString("title_sv"));
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
    pool.preparedQuery("""
            insert into outbox (kind, event_id, registration_id, payload)
            select kind, event_id, registration_id, payload from outbox where id = $1 and event_id = $2
            returning id""")
        .execute(Tuple.of(mailId, eventId))
        .onSuccess(rows -> {
          if (rows.size() == 0) {
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
