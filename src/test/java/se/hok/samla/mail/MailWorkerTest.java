package se.hok.samla.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;

/** Delivery from the outbox to a real SMTP server: once each, through outages, with two workers at once. */
class MailWorkerTest {
  static TestApp app;
  static final MailWorker.Timing FAST = new MailWorker.Timing(Duration.ofMillis(100), Duration.ofMinutes(5),
      Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(24), 20);
  int port;
  GreenMail smtp;
  MailClient client;

  /** Renders a test row: to = payload.to; nothing when payload.skip. */
  static final MailWorker.Renderer RENDERER = (kind, eventId, registrationId, payload) -> Future.succeededFuture(
      payload.getBoolean("skip", false) ? Optional.empty() : Optional.of(new RenderedMail(payload.getString("to"),
          "Test " + payload.getString("n"), "<p>Hej <img src=\"cid:qr@samla\" alt=\"QR\"></p>", "Hej",
          List.of(new RenderedMail.Part("qr.png", "image/png", new byte[] {1, 2, 3}, "qr@samla"),
              new RenderedMail.Part("biljett.ics", "text/calendar", "BEGIN:VCALENDAR".getBytes(), null)))));

  @BeforeAll
  static void start() {
    app = TestApp.start(java.util.Map.of("SAMLA_SEND_MAIL", "false"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @BeforeEach
  void smtpServer() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    client = MailClient.create(app.vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setConnectTimeout(500));
    Db.exec(app.databaseUrl, "delete from outbox");
  }

  @AfterEach
  void stopSmtp() {
    smtp.stop();
    client.close();
  }

  MailWorker worker() {
    return new MailWorker(app.vertx, app.running.database().pool(), client, RENDERER, "Samla <noreply@test.example>",
        "test.example", FAST);
  }

  static void queue(int n, String extra) {
    Db.exec(app.databaseUrl, "insert into outbox (kind, payload) select 'test', jsonb_build_object('to', 'p' || i || '@example.org', "
        + "'n', i::text" + extra + ") from generate_series(1, " + n + ") i");
  }

  static Set<String> messageIds(MimeMessage[] messages) {
    return Arrays.stream(messages).map(m -> {
      try {
        return m.getMessageID();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
  }

  @Test
  void whilePeopleWaitForAnswersMailGoesOutAFewAtATime() throws Exception {
    smtp.start();
    queue(12, "");
    AtomicBoolean busy = new AtomicBoolean(true);
    MailWorker worker = worker().yieldTo(busy::get);
    assertEquals(MailWorker.BATCH_WHILE_BUSY, await(worker.runOnce()), "one small batch per round while busy");
    assertEquals(MailWorker.BATCH_WHILE_BUSY, smtp.getReceivedMessages().length);
    busy.set(false);
    assertEquals(12 - MailWorker.BATCH_WHILE_BUSY, await(worker.runOnce()), "the rest at once when the rush is over");
    assertEquals(12, smtp.getReceivedMessages().length);
  }

  @Test
  void eachRowIsSentOnceWithItsOwnStableMessageId() throws Exception {
    smtp.start();
    queue(5, "");
    assertEquals(5, await(worker().runOnce()));
    assertEquals(0, await(worker().runOnce()), "nothing twice");
    MimeMessage[] received = smtp.getReceivedMessages();
    assertEquals(5, received.length);
    List<Object> ids = Db.column(app.databaseUrl, "select id from outbox order by id");
    assertEquals(ids.stream().map(id -> "<outbox-" + id + "@test.example>").collect(Collectors.toSet()), messageIds(received));
    assertEquals(List.of(5L), Db.column(app.databaseUrl, "select count(*) from outbox where outcome = 'sent' and sent_at is not null"));
    assertTrue(received[0].getContentType().startsWith("multipart/"), received[0].getContentType());
    Set<String> recipients = Arrays.stream(received).map(m -> {
      try {
        return m.getAllRecipients()[0].toString();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
    assertEquals(Set.of("p1@example.org", "p2@example.org", "p3@example.org", "p4@example.org", "p5@example.org"), recipients);
  }

  @Test
  void anSmtpOutageDelaysMailAndLosesNone() throws Exception {
    queue(10, "");
    assertEquals(10, await(worker().runOnce()), "all tried");
    assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from outbox where sent_at is null and last_error is not null"));
    smtp.start();
    Thread.sleep(300);
    for (int i = 0; i < 20 && smtp.getReceivedMessages().length < 10; i++) {
      await(worker().runOnce());
      Thread.sleep(100);
    }
    assertEquals(10, smtp.getReceivedMessages().length);
    assertEquals(10, messageIds(smtp.getReceivedMessages()).size(), "none twice");
    assertEquals(List.of(10L), Db.column(app.databaseUrl, "select count(*) from outbox where outcome = 'sent'"));
  }

  @Test
  void twoWorkersOnOneDatabaseSendEachRowOnce() {
    smtp.start();
    queue(100, "");
    MailWorker a = worker();
    MailWorker b = worker();
    Future<Integer> ra = a.runOnce();
    Future<Integer> rb = b.runOnce();
    await(Future.join(ra, rb));
    assertEquals(100, ra.result() + rb.result());
    assertEquals(100, smtp.getReceivedMessages().length);
    assertEquals(100, messageIds(smtp.getReceivedMessages()).size());
  }

  @Test
  void nothingToSendAnyMoreIsSkippedNotSent() {
    smtp.start();
    queue(3, ", 'skip', true");
    assertEquals(3, await(worker().runOnce()));
    assertEquals(0, smtp.getReceivedMessages().length);
    assertEquals(List.of(3L), Db.column(app.databaseUrl, "select count(*) from outbox where outcome = 'skipped'"));
  }

  @Test
  void afterTwentyFourHoursOfFailuresTheRowIsMarkedFailed() {
    queue(2, "");
    Db.exec(app.databaseUrl, "update outbox set created_at = now() - interval '25 hours'");
    await(worker().runOnce());
    assertEquals(List.of(2L), Db.column(app.databaseUrl, "select count(*) from outbox where outcome = 'failed' and failed_at is not null"));
    assertEquals(0, await(worker().runOnce()), "failed rows are not tried again by themselves");
  }
}
