package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
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
import java.util.UUID;
import java.util.regex.Pattern;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventRight;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/**
 * The organiser's view of an event's e-mail: what is waiting, what failed and why, and a way to send again; and
 * writing to the participants (a message to all confirmed, the waiting list, one session, those checked in or those
 * not checked in), each message with how its e-mails are doing. The queries behind it are in {@link MailStore}.
 */
public final class MailStatusPages {
  private static final DateTimeFormatter WHEN = EventTimes.STAMP;
  private static final DateTimeFormatter HM = EventTimes.CLOCK;
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;
  /** The form's own key is a UUID; a message sent twice under it is one message. */
  private static final Pattern KEY = Pattern.compile("[0-9a-fA-F-]{36}");
  static final int SUBJECT_MAX = 200;
  static final int BODY_MAX = 10_000;

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

  /** A message as the page lists it: to whom (in words), when, and how its e-mails are doing. */
  public record MessageLine(long id, String subject, String audience, String created, int recipients, int sent,
                            int waiting, int failed, int skipped) {}

  /** A group to write to, with how many it has now. */
  public record AudienceChoice(String id, String value, String label, int people, boolean checked) {}

  /** A session to write to. */
  public record SessionOption(String value, String label, boolean selected) {}

  /** What the message form holds (as typed, to show again). */
  public record Draft(String subject, String body, String subjectEn, String bodyEn, String audience, String session,
                      String key) {
    static Draft blank() {
      return new Draft(null, null, null, null, "confirmed", null, UUID.randomUUID().toString());
    }
  }

  public void mount(Router router) {
    router.get("/arrangor/evenemang/:id/e-post").handler(access.page(EventRight.MANAGE)).handler(this::page);
    router.post("/arrangor/evenemang/:id/e-post/:mail/skicka-igen").handler(access.page(EventRight.MANAGE)).handler(this::resend);
    router.post("/arrangor/evenemang/:id/e-post/meddelande").handler(access.page(EventRight.MANAGE)).handler(this::send);
  }

  private void page(RoutingContext ctx) {
    render(ctx, 200, Draft.blank(), Map.of()).onFailure(ctx::fail);
  }

  private Future<Void> render(RoutingContext ctx, int status, Draft draft, Map<String, String> errors) {
    long eventId = id(ctx, "id");
    Lang lang = Lang.of(ctx);
    return store.eventTitle(eventId)
        .compose(title -> {
          if (title.isEmpty()) {
            throw new NotFoundException("event");
          }
          return Future.all(store.outboxOfEvent(eventId), store.messagesOfEvent(eventId), store.audienceSizes(eventId),
                  store.sessions(eventId))
              // The page shows which participants were (or will be) written to: logged as a read of those people,
              // each once however many e-mails they have; the organiser's own e-mails name nobody on this page.
              .compose(all -> {
                List<MailStore.StatusRow> rows = all.resultAt(0);
                return audit.read(ctx, eventId, AuditLog.Read.MAIL_STATUS, false,
                    (int) rows.stream().map(MailStore.StatusRow::participant).filter(Objects::nonNull).distinct().count())
                    .map(all);
              })
              .compose(all -> {
                List<MailStore.StatusRow> rows = all.resultAt(0);
                List<MailStore.MessageStatus> messages = all.resultAt(1);
                Map<String, Integer> sizes = all.resultAt(2);
                List<MailStore.SessionChoice> sessions = all.resultAt(3);
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
                model.put("messages", messages.stream().map(m -> messageLine(m, sessions, lang)).toList());
                model.put("audiences", audiences(sizes, draft, lang));
                model.put("sessionOptions", sessions.stream().map(s -> new SessionOption(String.valueOf(s.id()),
                    sessionLabel(s, lang) + " – " + Messages.get(lang, "message.people", sizes.getOrDefault("session:" + s.id(), 0)),
                    String.valueOf(s.id()).equals(draft.session()))).toList());
                model.put("draft", draft);
                model.put("errors", errors);
                model.put("messageSent", sentNotice(ctx, lang));
                return templates.render(ctx, status, "organiser/mail", model);
              });
        });
  }

  /**
   * Writes to a group of the event's participants: each person gets their own e-mail (no one sees the others), in
   * their language when an English version is given, with their manage link, through the outbox (retried like all
   * mail). An empty subject or text, a group with nobody in it or a too long text are field errors: nothing is sent,
   * and the form comes back as it was typed. The form's key makes a double click one message.
   */
  private void send(RoutingContext ctx) {
    long eventId = id(ctx, "id");
    MultiMap form = ctx.request().formAttributes();
    String key = form.get("key");
    Draft draft = new Draft(form.get("subject"), form.get("body"), form.get("subjectEn"), form.get("bodyEn"),
        form.get("audience"), form.get("session"), key != null && KEY.matcher(key).matches() ? key : UUID.randomUUID().toString());
    FieldChecks checks = new FieldChecks();
    String subject = oneLine(checks.text("subject", draft.subject(), true, SUBJECT_MAX));
    String body = checks.text("body", draft.body(), true, BODY_MAX);
    String subjectEn = oneLine(checks.text("subjectEn", draft.subjectEn(), false, SUBJECT_MAX));
    String bodyEn = checks.text("bodyEn", draft.bodyEn(), false, BODY_MAX);
    if (subjectEn != null && bodyEn == null && !checks.has("bodyEn")) {
      checks.add("bodyEn", "message.error.englishBoth");
    } else if (bodyEn != null && subjectEn == null && !checks.has("subjectEn")) {
      checks.add("subjectEn", "message.error.englishBoth");
    }
    MailStore.Audience audience = MailStore.Audience.parse(draft.audience());
    Long session = null;
    if (audience == null) {
      checks.add("audience", "message.error.audience");
    } else if (audience == MailStore.Audience.SESSION) {
      try {
        session = Long.parseLong(draft.session() == null ? "" : draft.session().strip());
      } catch (NumberFormatException e) {
        checks.add("session", "message.error.session");
      }
    }
    Lang lang = Lang.of(ctx);
    Long sessionId = session;
    Future<MailStore.Queued> queued;
    try {
      checks.throwIfAny();
      queued = store.queueMessage(eventId, draft.key(), audience, sessionId, subject, body, subjectEn, bodyEn,
          StaffAuth.current(ctx).id());
    } catch (ValidationException e) {
      queued = Future.failedFuture(e);
    }
    queued
        .compose(done -> {
          ctx.redirect("/arrangor/evenemang/" + eventId + "/e-post?meddelande=" + done.recipients() + "#meddelanden");
          return Future.<Void>succeededFuture();
        }, err -> err instanceof ValidationException v
            ? render(ctx, 422, draft, v.messages(lang))
            : Future.failedFuture(err))
        .onFailure(ctx::fail);
  }

  private static String sentNotice(RoutingContext ctx, Lang lang) {
    String n = ctx.queryParams().get("meddelande");
    return n == null || !n.matches("\\d{1,7}") ? null : Messages.get(lang, "message.sent", Integer.parseInt(n));
  }

  private static List<AudienceChoice> audiences(Map<String, Integer> sizes, Draft draft, Lang lang) {
    List<AudienceChoice> out = new ArrayList<>();
    for (String a : List.of("confirmed", "waitlisted", "session", "checked_in", "not_checked_in")) {
      out.add(new AudienceChoice(out.isEmpty() ? "audience" : "audience-" + a, a, Messages.get(lang, "message.audience." + a),
          sizes.getOrDefault(a, -1), a.equals(draft.audience())));
    }
    return out;
  }

  private static MessageLine messageLine(MailStore.MessageStatus s, List<MailStore.SessionChoice> sessions, Lang lang) {
    MailStore.Message m = s.message();
    String to = Messages.get(lang, "message.audience." + m.audience());
    if ("session".equals(m.audience())) {
      to = to + ": " + sessions.stream().filter(x -> m.sessionId() != null && x.id() == m.sessionId())
          .map(x -> sessionLabel(x, lang)).findFirst().orElse("–");
    }
    return new MessageLine(m.id(), m.subjectSv(), to, format(m.createdAt()), m.recipients(), s.sent(), s.waiting(),
        s.failed(), s.skipped());
  }

  private static String sessionLabel(MailStore.SessionChoice s, Lang lang) {
    return HM.format(s.startsAt().atZoneSameInstant(STOCKHOLM)) + "–" + HM.format(s.endsAt().atZoneSameInstant(STOCKHOLM))
        + " " + s.title();
  }

  /** A subject is one line (a header cannot carry a line break). */
  private static String oneLine(String text) {
    return text == null ? null : text.replaceAll("[\\r\\n\\t]+", " ").strip();
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
