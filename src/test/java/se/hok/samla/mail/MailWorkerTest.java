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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.WithSamla;

/** Delivery from the outbox to a real SMTP server: once each, through outages, with two workers at once. */
@WithSamla(env = "SAMLA_SEND_MAIL=false")
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

  @BeforeEach
  void smtpServer() throws Exception {
    port = se.hok.samla.support.Ports.next();
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
    return worker(client, FAST);
  }

  MailWorker worker(MailClient mailClient, MailWorker.Timing timing) {
    return new MailWorker(app.vertx, app.running.database().pool(), mailClient, RENDERER, "Samla <noreply@test.example>",
        "test.example", timing);
  }

  /** A client for an SMTP port with the worker's own timeouts, as Main makes it. */
  MailClient clientWith(MailWorker.Timing timing, int smtpPort) {
    return MailClient.create(app.vertx, MailWorker.withTimeouts(new MailConfig().setHostname("127.0.0.1").setPort(smtpPort)
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED), timing));
  }

  /** A peer that accepts SMTP connections and never says a word, as a hung relay does. */
  static final class SilentRelay implements AutoCloseable {
    final ServerSocket server;
    final List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Thread acceptor;

    SilentRelay(int port) throws java.io.IOException {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(server.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is done with it
        }
      }, "silent-relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
      // The JDK finishes closing a server socket in the thread blocked in accept(); until that thread has left, the
      // port is still bound and a relay started on it at once fails with "Address already in use".
      try {
        acceptor.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (acceptor.isAlive()) {
        throw new IllegalStateException("the silent relay's accept thread did not stop");
      }
      for (java.net.Socket s : accepted) {
        s.close();
      }
    }
  }

  static long count(String where) {
    return (Long) Db.column(app.databaseUrl, "select count(*) from outbox where " + where).get(0);
  }

  @Test
  void aRelayThatAcceptsAndNeverAnswersDelaysMailOnlyUntilItAnswers() throws Exception {
    MailWorker.Timing timing = new MailWorker.Timing(Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMillis(200),
        Duration.ofSeconds(1), Duration.ofHours(24), 20, Duration.ofMillis(700), Duration.ofSeconds(5));
    MailClient bounded = clientWith(timing, port);
    try {
      queue(2, "");
      try (SilentRelay silent = new SilentRelay(port)) {
        long t0 = System.nanoTime();
        assertEquals(2, await(worker(bounded, timing).runOnce()), "both tried, neither stuck");
        assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "given up after the SMTP timeout, not hung");
        assertTrue(!silent.accepted.isEmpty(), "the relay took the connection");
        assertEquals(2, count("sent_at is null and failed_at is null and last_error like '" + MailWorker.CONNECTION_LOST + "%'"),
            Db.column(app.databaseUrl, "select last_error from outbox").toString());
        queue(1, "");  // mail written during the outage
      }
      smtp.start();  // the relay answers again, on the same port
      MailWorker worker = worker(bounded, timing);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (smtp.getReceivedMessages().length < 3 && System.nanoTime() < deadline) {
        await(worker.runOnce());
        Thread.sleep(50);  // the worker's poll
      }
      assertEquals(3, smtp.getReceivedMessages().length, "all out within seconds of the relay answering");
      assertEquals(3, messageIds(smtp.getReceivedMessages()).size(), "none twice");
    } finally {
      bounded.close();
    }
  }

  @Test
  void stoppingLetsMailInFlightGoAndGivesItBackAtOnce() throws Exception {
    MailWorker.Timing timing = new MailWorker.Timing(Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofMillis(200),
        Duration.ofSeconds(1), Duration.ofHours(24), 20, Duration.ofSeconds(20), Duration.ofSeconds(30));
    smtp.start();
    queue(3, "");
    SilentRelay silent = new SilentRelay(0);
    MailClient bounded = clientWith(timing, silent.server.getLocalPort());
    try {
      MailWorker stuck = worker(bounded, timing);
      stuck.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (count("leased_until > now()") < 3) {
        assertTrue(System.nanoTime() < deadline, "the worker leases the mail");
        Thread.sleep(20);
      }
      await(stuck.stop(Duration.ofMillis(300)));
      assertEquals(3, count("leased_until is null and available_at <= now() and attempts = 0 and sent_at is null"),
          "given back, due now, the interrupted attempt not counted");

      // The next start (or another instance) sends them at once, not after the lease.
      assertEquals(3, await(worker().runOnce()));
      assertEquals(3, smtp.getReceivedMessages().length);
    } finally {
      bounded.close();
      silent.close();
    }
    assertEquals(3, count("outcome = 'sent'"));
  }

  @Test
  void aLeaseIsRenewedWhileItsMailIsOnItsWay() throws Exception {
    MailWorker.Timing shortLease = new MailWorker.Timing(Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(200),
        Duration.ofSeconds(1), Duration.ofHours(24), 20, Duration.ofSeconds(20), Duration.ofSeconds(30));
    MailClient bounded = clientWith(shortLease, port);
    queue(1, "");
    try (SilentRelay silent = new SilentRelay(port)) {
      MailWorker sending = worker(bounded, shortLease);
      sending.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (count("leased_until > now()") < 1) {
        assertTrue(System.nanoTime() < deadline, "the worker leases the mail");
        Thread.sleep(20);
      }
      Thread.sleep(1000);  // three leases long: the time itself is what is tested
      assertEquals(0, await(worker(client, shortLease).runOnce()), "nobody else takes mail that is on its way");
      assertEquals(1, count("leased_until > now()"));
      await(sending.stop(Duration.ofMillis(100)));
    } finally {
      bounded.close();
    }
  }

  @Test
  void aKilledInstancesMailWaitsAtMostHalfAMinute() {
    assertTrue(MailWorker.Timing.production().lease().compareTo(Duration.ofSeconds(30)) <= 0);
    queue(1, "");
    MailStore store = new MailStore(app.running.database().pool());
    assertEquals(1, await(store.lease(10, MailWorker.Timing.production().lease())).size());
    // The instance dies here without a word; the row is due again when the lease ends.
    assertEquals(1, count("available_at <= now() + interval '30 seconds' and leased_until <= now() + interval '30 seconds'"));
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
