package se.hok.samla.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailAttachment;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.mail.MailStore.OutboxRow;

/**
 * Sends the outbox. Rows are leased with FOR UPDATE SKIP LOCKED (two instances never take the same row), rendered
 * from current data at send time, and sent with a Message-ID fixed per row. Failures are retried with exponential
 * back-off for 24 hours, then the row is marked failed for the organiser to see and resend. An SMTP outage delays
 * mail and loses none. The worker decides what to send and when; the statements on the outbox are in
 * {@link MailStore}.
 *
 * <p>Nothing stalls it: the SMTP client gives up on a relay that says nothing for {@link Timing#smtpTimeout()}
 * ({@link #withTimeouts}), and every message has {@link Timing#sendTimeout()} in all; the row is then retried like any
 * failure, with the reason on the organiser's page. Leases are short ({@link Timing#lease()}) and renewed while a
 * message is being sent, so mail leased by an instance that was killed waits at most a lease before another instance
 * takes it; {@link #stop} lets the messages in flight finish and be recorded, and gives back the rest at once.
 */
public final class MailWorker {
  private static final Logger log = LoggerFactory.getLogger(MailWorker.class);

  /** Turns an outbox row into an e-mail, or nothing when there is nothing to send any more. */
  public interface Renderer {
    Future<Optional<RenderedMail>> render(String kind, Long eventId, UUID registrationId, JsonObject payload);
  }

  /**
   * How the worker paces itself; the defaults are for production, tests shorten them. {@code smtpTimeout}: how long
   * the relay may take to accept a connection or to answer a command (the greeting, each command, the end of DATA);
   * {@code sendTimeout}: the most one message may take in all.
   */
  public record Timing(Duration poll, Duration lease, Duration firstRetry, Duration maxRetry, Duration giveUpAfter, int batch,
                       Duration smtpTimeout, Duration sendTimeout) {
    public Timing(Duration poll, Duration lease, Duration firstRetry, Duration maxRetry, Duration giveUpAfter, int batch) {
      this(poll, lease, firstRetry, maxRetry, giveUpAfter, batch, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    /**
     * A lease of 30 s, renewed every 10 s while its message is on its way: a killed instance's mail waits at most
     * 30 s. A relay gets 30 s per answer (real relays answer in well under a second; RFC 5321's minutes are for the
     * relay's own work, which it reports later), and a message two minutes in all.
     */
    public static Timing production() {
      return new Timing(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofHours(24), 50, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }
  }

  /**
   * The SMTP client's side of {@link Timing#smtpTimeout()}: a connection that cannot be made, or on which the relay
   * says nothing (no greeting, no answer to a command or to the end of DATA), is closed after that long, which fails
   * the message on it. Idle pooled connections are closed after it too; a new one is made when needed.
   */
  public static MailConfig withTimeouts(MailConfig config, Timing timing) {
    return config.setConnectTimeout((int) timing.smtpTimeout().toMillis())
        .setIdleTimeout((int) timing.smtpTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private final Vertx vertx;
  private final MailStore store;
  private final MailClient mail;
  private final Renderer renderer;
  private final String from;
  private final String messageIdDomain;
  private final Timing timing;
  private long timer = -1;
  private long renewTimer = -1;
  private volatile boolean stopping;
  /** The round being run by the poll timer, if any. */
  private volatile Future<Integer> round;
  /** Rows leased by this worker whose message is not settled yet. */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
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
      if (round == null && !stopping) {
        Future<Integer> next = runOnce();
        round = next;
        next.onComplete(r -> {
          round = null;
          if (r.failed()) {
            log.warn("Mail worker round failed; it will try again", r.cause());
          }
        });
      }
    });
    renewTimer = vertx.setPeriodic(Math.max(1, timing.lease().toMillis() / 3), t -> renewLeases());
  }

  /** Keeps the leases of the messages on their way, so that no other instance takes them meanwhile. */
  private void renewLeases() {
    if (!inFlight.isEmpty()) {
      store.renewLeases(List.copyOf(inFlight), timing.lease())
          .onFailure(e -> log.warn("Could not renew the leases of the mail being sent", e));
    }
  }

  /**
   * Stops leasing, lets the messages in flight finish and be recorded (at most {@code grace}), then gives back the
   * leases of any still unsettled, so that the next instance sends them at once instead of after the lease.
   */
  public Future<Void> stop(Duration grace) {
    stopping = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    Future<Integer> current = round;
    Future<Void> finished = current == null ? Future.succeededFuture()
        : current.<Void>mapEmpty().recover(e -> Future.succeededFuture())
            .timeout(grace.toMillis(), TimeUnit.MILLISECONDS).recover(e -> Future.succeededFuture());
    return finished.compose(v -> {
      if (renewTimer != -1) {
        vertx.cancelTimer(renewTimer);
      }
      List<Long> unsettled = List.copyOf(inFlight);
      if (unsettled.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      log.info("Giving back {} mail not yet sent, for the next start or another instance", unsettled.size());
      return store.releaseLeases(unsettled);
    }).recover(e -> {
      log.warn("Could not give back the leased mail; it is sent when its lease runs out", e);
      return Future.succeededFuture();
    });
  }

  /**
   * Leases a batch of due rows and sends them, until none are due; returns how many rows were settled. While busy,
   * one small batch only (the next poll sends the next).
   */
  public Future<Integer> runOnce() {
    if (stopping) {
      return Future.succeededFuture(0);
    }
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
    inFlight.add(row.id());
    return renderer.render(row.kind(), row.eventId(), row.registrationId(), row.payload())
        .compose(rendered -> rendered.isEmpty()
            ? settle(row.id(), "skipped", null, null)
            : mail.sendMail(message(rendered.get(), messageId))
                .timeout(timing.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .compose(result -> settle(row.id(), "sent", messageId, rendered.get().to())))
        // A send cut short by shutdown is given back for the next start, not held back as a failure.
        .recover(e -> stopping ? store.releaseLeases(List.of(row.id())) : retryLater(row, e))
        .eventually(() -> {
          inFlight.remove(row.id());
          return Future.succeededFuture();
        });
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
    String message = describe(error);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    boolean giveUp = row.createdAt() != null && row.createdAt().plus(timing.giveUpAfter()).isBefore(now);
    long delay = Math.min(timing.maxRetry().toMillis(),
        timing.firstRetry().toMillis() * (1L << Math.min(20, Math.max(0, row.attempts() - 1))));
    log.info("Mail {} ({}) not sent, attempt {}: {}{}", row.id(), row.kind(), row.attempts(), message,
        giveUp ? " – giving up" : "");
    return store.markAttemptFailed(row.id(), message.length() > 1000 ? message.substring(0, 1000) : message, giveUp,
        Duration.ofMillis(delay));
  }

  /** Recorded for the organiser's page; the two kinds of silence get words of their own (see MailStatusPages). */
  String describe(Throwable error) {
    if (error instanceof java.util.concurrent.TimeoutException) {
      return TIMEOUT + " the message was not sent within " + timing.sendTimeout().toSeconds() + " s";
    }
    String message = String.valueOf(error.getMessage());
    if (message.startsWith("socket was closed unexpected")) {
      return CONNECTION_LOST + " the mail server closed the connection or did not answer within "
          + timing.smtpTimeout().toSeconds() + " s";
    }
    return message;
  }

  /** How {@link #describe} begins the error of a message that took too long, or of a relay that fell silent. */
  static final String TIMEOUT = "Timeout:";
  static final String CONNECTION_LOST = "Connection lost:";
}
