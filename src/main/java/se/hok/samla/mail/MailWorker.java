package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.mail.MailStore.OutboxRow;

/**
 * Sends the outbox. Rows are leased with FOR UPDATE SKIP LOCKED (two instances never take the same row; a
 * worker that dies mid-send gives its lease back when it runs out), rendered from current data at send time,
 * and sent with a Message-ID fixed per row. Failures are retried with exponential back-off for 24 hours, then
 * the row is marked failed for the organiser to see and resend. An SMTP outage delays mail and loses none.
 * The worker decides what to send and when; the statements on the outbox are in {@link MailStore}.
 */
public final class MailWorker {
  private static final Logger log = LoggerFactory.getLogger(MailWorker.class);

  /** Turns an outbox row into an e-mail, or nothing when there is nothing to send any more. */
  public interface Renderer {
    Future<Optional<RenderedMail>> render(String kind, Long eventId, UUID registrationId, JsonObject payload);
  }

  /** How the worker paces itself; the defaults are for production, tests shorten them. */
  public record Timing(Duration poll, Duration lease, Duration firstRetry, Duration maxRetry, Duration giveUpAfter, int batch) {
    public static Timing production() {
      return new Timing(Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofHours(24), 50);
    }
  }

  private final Vertx vertx;
  private final MailStore store;
  private final MailClient mail;
  private final Renderer renderer;
  private final String from;
  private final String messageIdDomain;
  private final Timing timing;
  private long timer = -1;
  private boolean running;
  private BooleanSupplier busy = () -> false;

  public MailWorker(Vertx vertx, Pool pool, MailClient mail, Renderer renderer, String from, String messageIdDomain,
                    Timing timing) {
    this.vertx = vertx;
    this.store = new MailStore(pool);
    this.mail = mail;
    this.renderer = renderer;
    this.from = from;
    this.messageIdDomain = messageIdDomain;
    this.timing = timing;
  }

  /**
   * While people are waiting for answers from this instance ({@code busy}), e-mail goes out {@link #BATCH_WHILE_BUSY}
   * at a time, once per poll, instead of as fast as it can: a registration rush with its e-mails sent alongside ran
   * at half the speed and three times the p99 (docs/benchmarks.md). The receipt page already told each person
   * they are registered; the e-mail may follow a minute later. Never busy unless set.
   */
  public MailWorker yieldTo(BooleanSupplier busy) {
    this.busy = busy;
    return this;
  }

  /** E-mails per poll while {@link #yieldTo busy}: about ten a second at the production poll of 500 ms. */
  static final int BATCH_WHILE_BUSY = 5;

  public void start() {
    timer = vertx.setPeriodic(timing.poll().toMillis(), t -> {
      if (!running) {
        running = true;
        runOnce().onComplete(r -> {
          running = false;
          if (r.failed()) {
            log.warn("Mail worker round failed; it will try again", r.cause());
          }
        });
      }
    });
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Leases a batch of due rows and sends them, until none are due; returns how many rows were settled. While busy,
   * one small batch only (the next poll sends the next).
   */
  public Future<Integer> runOnce() {
    boolean yielding = busy.getAsBoolean();
    int batch = yielding ? BATCH_WHILE_BUSY : timing.batch();
    return store.lease(batch, timing.lease()).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.succeededFuture(0);
      }
      List<Future<Void>> sends = new ArrayList<>();
      rows.forEach(row -> sends.add(deliver(row)));
      return Future.join(sends).transform(r -> rows.size() < batch || yielding
          ? Future.succeededFuture(rows.size())
          : runOnce().map(more -> rows.size() + more));
    });
  }

  private Future<Void> deliver(OutboxRow row) {
    String messageId = "<outbox-" + row.id() + "@" + messageIdDomain + ">";
    return renderer.render(row.kind(), row.eventId(), row.registrationId(), row.payload())
        .compose(rendered -> rendered.isEmpty()
            ? settle(row.id(), "skipped", null, null)
            : mail.sendMail(message(rendered.get(), messageId))
                .compose(result -> settle(row.id(), "sent", messageId, rendered.get().to())))
        .recover(e -> retryLater(row, e));
  }

  private MailMessage message(RenderedMail m, String messageId) {
    MailMessage message = new MailMessage()
        .setFrom(from)
        .setTo(m.to())
        .setSubject(m.subject())
        .setText(m.text())
        .setHtml(m.html());
    message.addHeader("Message-ID", messageId);
    List<MailAttachment> inline = new ArrayList<>();
    List<MailAttachment> attached = new ArrayList<>();
    for (RenderedMail.Part p : m.parts()) {
      MailAttachment a = MailAttachment.create().setData(Buffer.buffer(p.data())).setContentType(p.contentType())
          .setName(p.filename());
      if (p.contentId() != null) {
        inline.add(a.setDisposition("inline").setContentId("<" + p.contentId() + ">"));
      } else {
        attached.add(a.setDisposition("attachment"));
      }
    }
    if (!inline.isEmpty()) {
      message.setInlineAttachment(inline);
    }
    if (!attached.isEmpty()) {
      message.setAttachment(attached);
    }
    return message;
  }

  private Future<Void> settle(long id, String outcome, String messageId, String recipient) {
    return store.markSettled(id, outcome, messageId, recipient);
  }

  /** Exponential back-off (first retry, doubling, capped); after the give-up time the row is marked failed. */
  private Future<Void> retryLater(OutboxRow row, Throwable error) {
    String message = String.valueOf(error.getMessage());
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    boolean giveUp = row.createdAt() != null && row.createdAt().plus(timing.giveUpAfter()).isBefore(now);
    long delay = Math.min(timing.maxRetry().toMillis(),
        timing.firstRetry().toMillis() * (1L << Math.min(20, Math.max(0, row.attempts() - 1))));
    log.info("Mail {} ({}) not sent, attempt {}: {}{}", row.id(), row.kind(), row.attempts(), message,
        giveUp ? " – giving up" : "");
    return store.markAttemptFailed(row.id(), message.length() > 1000 ? message.substring(0, 1000) : message, giveUp,
        Duration.ofMillis(delay));
  }
}
