package se.hok.samla.bench;

import static se.hok.samla.support.TestApp.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.events.EventService;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.mail.MailWorker;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.support.Db;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.QrCodes;
import se.hok.samla.tickets.TicketMailFiles;
import se.hok.samla.tickets.TicketPdf;
import se.hok.samla.tickets.TicketService;

/**
 * Ticket e-mails rendered from the database (ticket, QR, PDF, .ics, HTML) and delivered to a local SMTP server
 * (GreenMail) by the real worker. Not a unit test (surefire skips *Benchmark); run with
 * {@code ./mvnw -q test -Dtest=TicketMailBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TicketMailBenchmark {
  static final int MAILS = Integer.getInteger("mail.count", 1000);

  @Test
  void ticketMails() throws Exception {
    try (TestApp app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"))) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      smtp.start();
      MailClient client = MailClient.create(app.vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
          .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setMaxPoolSize(8).setKeepAlive(true));
      var pool = app.running.database().pool();
      RegistrationService registrations = new RegistrationService(pool, Clock.systemDefaultZone());
      TicketService tickets = new TicketService(app.vertx, pool);
      MailRenderer renderer = new MailRenderer(registrations, new EventService(pool),
          new TicketMailFiles(app.vertx, tickets, registrations, "localhost"), app.url(""));

      String organiser = app.tokenFor("organiser");
      OffsetDateTime start = OffsetDateTime.now().plusDays(30);
      long venue = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser)
          .sendJsonObject(new JsonObject().put("name", "Kulturhuset").put("address", "Storgatan 1, Varberg")
              .put("accessibility", new JsonObject().put("hearingLoop", true)))).bodyAsJsonObject().getLong("id");
      long event = await(app.client.post("/api/v1/events").putHeader("Authorization", "Bearer " + organiser)
          .sendJsonObject(new JsonObject().put("title", "Samverkanskonferens").put("kind", "samverkanskonferens")
              .put("startsAt", start.toString()).put("endsAt", start.plusHours(7).toString()).put("venueId", venue)
              .put("capacity", 2 * MAILS + 100))).bodyAsJsonObject().getLong("id");
      await(app.client.post("/api/v1/events/" + event + "/publish").putHeader("Authorization", "Bearer " + organiser).send());

      // Warm-up (JIT, fonts, keys), then the measured run; confirmed registrations with their outbox rows.
      run(app, client, renderer, smtp, event, 100, "warm-up");
      double total = run(app, client, renderer, smtp, event, MAILS, "measured");

      // Where the time goes: each step alone, per mail, on this machine.
      String code = await(tickets.current(firstRegistration(app, event), event, false)).code();
      double qr = perCall(200, () -> QrCodes.png(code, 400));
      double pdf = perCall(100, () -> TicketPdf.render(new TicketPdf.Content("Samverkanskonferens", "Torsdag 7 januari 2027, 09:00–16:00",
          "Kulturhuset, Storgatan 1, Varberg", "Åsa Öberg-Nguyễn", true, code, "HÖK-7Q4M-9XK2",
          List.of("Hörslinga: Ja"), List.of("Teckenspråkstolk"), "http://localhost/anmalan/x", "sv")));
      double ics = perCall(200, () -> se.hok.samla.tickets.RegistrationCalendar.ics(java.util.UUID.randomUUID(), "Samverkanskonferens",
          start, start.plusHours(7), "Kulturhuset", "Beskrivning", "http://localhost/anmalan/x", 1, "localhost", false));
      java.util.UUID someone = firstRegistration(app, event);
      double ticketMs = perCallAsync(100, () -> tickets.current(someone, event, true));
      double renderMs = perCallAsync(50, () -> renderer.render("confirmed", event, someone, new JsonObject()));
      System.out.printf("MAIL more steps per mail: .ics %.2f ms, new ticket (sign + store) %.2f ms, whole render %.2f ms%n", ics, ticketMs, renderMs);
      byte[] png = QrCodes.png(code, 400);
      long t0 = System.nanoTime();
      List<Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        sends.add(client.sendMail(new MailMessage().setFrom("a@test.example").setTo("b" + i + "@example.org").setSubject("x")
            .setHtml("<p>x</p>").setText("x").setInlineAttachment(io.vertx.ext.mail.MailAttachment.create()
                .setData(io.vertx.core.buffer.Buffer.buffer(png)).setContentType("image/png").setContentId("<qr@samla>"))));
      }
      await(Future.join(new ArrayList<>(sends.stream().map(f -> (Future<?>) f).toList())));
      double smtpMs = (System.nanoTime() - t0) / 1e6 / 500;
      double perMail = 1000.0 / total;
      System.out.printf("MAIL steps per mail: QR %.2f ms, PDF %.2f ms, SMTP %.2f ms (500 concurrent sends); whole mail %.2f ms of wall time"
          + " => QR %.0f%%, PDF %.0f%%, SMTP %.0f%%, rest (DB, ticket, HTML, .ics, MIME) %.0f%% (single-threaded step costs vs parallel wall time)%n",
          qr, pdf, smtpMs, perMail, 100 * qr / (qr + pdf + smtpMs + Math.max(0, perMail * 2 - qr - pdf - smtpMs)),
          100 * pdf / (qr + pdf + smtpMs + Math.max(0, perMail * 2 - qr - pdf - smtpMs)),
          100 * smtpMs / (qr + pdf + smtpMs + Math.max(0, perMail * 2 - qr - pdf - smtpMs)),
          100 * Math.max(0, perMail * 2 - qr - pdf - smtpMs) / (qr + pdf + smtpMs + Math.max(0, perMail * 2 - qr - pdf - smtpMs)));
      client.close();
      smtp.stop();
    }
  }

  static double run(TestApp app, MailClient client, MailRenderer renderer, GreenMail smtp, long event, int n, String label) {
    Db.exec(app.databaseUrl, "delete from outbox");
    String batch = label + System.nanoTime();
    Db.exec(app.databaseUrl, "insert into registration (event_id, status, waitlist_seq, name, email, confirmed_at) "
        + "select " + event + ", 'confirmed', nextval('waitlist_seq'), 'Deltagare ' || i, '" + batch + "-' || i || '@example.org', now() "
        + "from generate_series(1, " + n + ") i");
    Db.exec(app.databaseUrl, "update event set seats_taken = seats_taken + " + n + " where id = " + event);
    Db.exec(app.databaseUrl, "insert into outbox (kind, event_id, registration_id) select 'confirmed', event_id, id "
        + "from registration where email like '" + batch + "-%'");
    int before = smtp.getReceivedMessages().length;
    MailWorker worker = new MailWorker(app.vertx, app.running.database().pool(), client, renderer, "Samla <noreply@test.example>",
        "localhost", new MailWorker.Timing(Duration.ofMillis(100), Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofHours(24), 50));
    long t0 = System.nanoTime();
    int settled = await(worker.runOnce());
    double seconds = (System.nanoTime() - t0) / 1e9;
    int received = smtp.getReceivedMessages().length - before;
    System.out.printf("MAIL %s: %d ticket e-mails (QR inline, PDF, .ics) rendered and delivered in %.2f s = %.0f e-mails/s; "
        + "settled %d, received %d%n", label, n, seconds, n / seconds, settled, received);
    return n / seconds;
  }

  static java.util.UUID firstRegistration(TestApp app, long event) {
    return (java.util.UUID) Db.column(app.databaseUrl, "select id from registration where event_id = " + event + " limit 1").get(0);
  }

  static double perCallAsync(int n, java.util.function.Supplier<Future<?>> f) {
    for (int i = 0; i < 5; i++) {
      await(f.get());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      await(f.get());
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }

  static double perCall(int n, Runnable r) {
    for (int i = 0; i < 20; i++) {
      r.run();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }
}
