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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.server.SMTPServer;
import se.hok.samla.events.EventService;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.mail.MailWorker;
import se.hok.samla.mail.TicketMailFiles;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.support.Db;
import se.hok.samla.support.PublishedEvent;
import se.hok.samla.support.TestApp;
import se.hok.samla.tickets.QrCodes;
import se.hok.samla.tickets.TicketCode;
import se.hok.samla.tickets.TicketPdf;
import se.hok.samla.tickets.TicketService;

/**
 * Ticket e-mails rendered from the database (ticket, QR, PDF, .ics, HTML) and delivered over SMTP by the real worker,
 * to two local SMTP servers in turn:
 * <ol>
 *   <li>GreenMail, in this JVM, which parses every message it receives (MIME, attachments) – the mail catcher Samla
 *   itself uses; its parsing competes with Samla for the same two cores;</li>
 *   <li>SubEtha SMTP, in this JVM, a real SMTP server (EHLO, MAIL, RCPT, DATA …) that takes each message whole as
 *   bytes and parses nothing, as a relay hands mail on: the target of issue 4 (100 e-mails/s) is measured here.</li>
 * </ol>
 * Besides wall time it counts CPU time: this JVM's, per group of threads (render workers, event loops, the SMTP
 * sink …), and PostgreSQL's (its processes on this machine), so a run on a busy machine still says what a mail costs.
 * Not a unit test (surefire skips *Benchmark); run with
 * {@code ./mvnw -q test -Dtest=TicketMailBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TicketMailBenchmark {
  static final int MAILS = Integer.getInteger("mail.count", 1000);
  /** Mails sent before each measured run: the JIT compiles PDFBox, ZXing, Netty … for about the first thousand. */
  static final int WARM_UP = Integer.getInteger("mail.warmup", 300);

  @Test
  void ticketMails() throws Exception {
    try (TestApp app = TestApp.start(Map.of("SAMLA_SEND_MAIL", "false"))) {
      var pool = app.running.database().pool();
      RegistrationService registrations = new RegistrationService(pool, Clock.systemDefaultZone(), se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
      TicketService tickets = new TicketService(app.vertx, pool);
      MailRenderer renderer = new MailRenderer(registrations, new EventService(pool, se.hok.samla.mail.Outbox.EVENT_MAILS),
          new TicketMailFiles(app.vertx, tickets, registrations, "localhost"), app.url(""));

      String organiser = app.tokenFor("organiser");
      OffsetDateTime start = OffsetDateTime.now().plusDays(30);
      long venue = await(app.client.post("/api/v1/venues").putHeader("Authorization", "Bearer " + organiser)
          .sendJsonObject(new JsonObject().put("name", "Kulturhuset").put("address", "Storgatan 1, Varberg")
              .put("accessibility", new JsonObject().put("hearingLoop", true)))).bodyAsJsonObject().getLong("id");
      long event = PublishedEvent.by(app, organiser).with("title", "Samverkanskonferens").kind("samverkanskonferens")
          .startsAt(start).endsAt(start.plusHours(7)).capacity(2 * MAILS + 2 * WARM_UP + 300).with("venueId", venue)
          .with("onlineUrl", null).with("registrationOpensAt", null).publishId();
      long postmaster = postmaster(app);

      // 1. GreenMail (parses every message). Warm-up (JIT, fonts, keys) first.
      int greenPort = freePort();
      GreenMail greenMail = new GreenMail(new ServerSetup(greenPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      greenMail.start();
      MailClient toGreenMail = client(app, greenPort);
      run(app, toGreenMail, renderer, () -> greenMail.getReceivedMessages().length, event, WARM_UP, "warm-up", postmaster);
      double parsing = run(app, toGreenMail, renderer, () -> greenMail.getReceivedMessages().length, event, MAILS,
          "GreenMail (parses)", postmaster);

      // 2. SubEtha SMTP (takes the bytes, parses nothing).
      int plainPort = freePort();
      AtomicInteger received = new AtomicInteger();
      AtomicLong bytes = new AtomicLong();
      SMTPServer plain = SMTPServer.port(plainPort).bindAddress(InetAddress.getLoopbackAddress()).hostName("sink.localhost")
          .maxConnections(64)
          .messageHandler((context, from, to, data) -> {
            received.incrementAndGet();
            bytes.addAndGet(data.length);
          })
          .build();
      plain.start();
      MailClient toPlain = client(app, plainPort);
      run(app, toPlain, renderer, received::get, event, WARM_UP, "warm-up", postmaster);
      double notParsing = run(app, toPlain, renderer, received::get, event, MAILS, "SubEtha SMTP (does not parse)", postmaster);
      System.out.printf("MAIL message size: %.0f kB on average%n", bytes.get() / 1024.0 / received.get());

      // Where the time goes: each step alone, per mail, one thread, on this machine.
      PrivateKey key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
      AtomicInteger ticketId = new AtomicInteger(1_000_000);
      // A new code each call, as each mail has: encode, read back once, PNG.
      double qr = perCall(200, () -> QrCodes.png(TicketCode.encode(TicketCode.VERSION, ticketId.incrementAndGet(), event, key),
          QrCodes.TICKET_PIXELS));
      String code = TicketCode.encode(TicketCode.VERSION, 42, event, key);
      double pdf = perCall(100, () -> TicketPdf.render(new TicketPdf.Content("Samverkanskonferens", "Torsdag 7 januari 2027, 09:00–16:00",
          "Kulturhuset, Storgatan 1, Varberg", "Åsa Öberg-Nguyễn", true, code, "HÖK-7Q4M-9XK2",
          List.of("Hörslinga: Ja"), List.of("Teckenspråkstolk"), "http://localhost/anmalan/x", "sv")));
      double ics = perCall(200, () -> se.hok.samla.tickets.RegistrationCalendar.ics(java.util.UUID.randomUUID(), "Samverkanskonferens",
          start, start.plusHours(7), "Kulturhuset", "Beskrivning", "http://localhost/anmalan/x", 1, "localhost", false));
      double sign = perCall(500, () -> TicketCode.encode(TicketCode.VERSION, ticketId.incrementAndGet(), event, key));
      java.util.UUID someone = firstRegistration(app, event);
      double ticketMs = perCallAsync(100, () -> tickets.current(someone, event, true));
      double renderMs = perCallAsync(50, () -> renderer.render("confirmed", event, someone, new JsonObject()));
      byte[] png = QrCodes.png(code, QrCodes.TICKET_PIXELS);
      double smtpParsing = smtpAlone(toGreenMail, png);
      double smtpPlain = smtpAlone(toPlain, png);
      System.out.printf("MAIL steps alone, one thread, CPU time per mail: QR (new code: encode, read back, PNG) %.2f ms, PDF %.2f ms,"
          + " .ics %.2f ms, Ed25519 signature %.2f ms, new ticket (sign + store, wall) %.2f ms, whole render (wall) %.2f ms;"
          + " SMTP alone (wall) (500 small messages, 8 connections): GreenMail %.2f ms, SubEtha %.2f ms%n",
          qr, pdf, ics, sign, ticketMs, renderMs, smtpParsing, smtpPlain);
      System.out.printf("MAIL result: %.0f e-mails/s to GreenMail (parsing), %.0f e-mails/s to SubEtha SMTP (not parsing)%n",
          parsing, notParsing);
      toGreenMail.close();
      toPlain.close();
      greenMail.stop();
      plain.stop();
    }
  }

  static MailClient client(TestApp app, int port) {
    return MailClient.create(app.vertx, new MailConfig().setHostname("127.0.0.1").setPort(port)
        .setStarttls(StartTLSOptions.DISABLED).setLogin(LoginOption.DISABLED).setMaxPoolSize(8).setKeepAlive(true));
  }

  /**
   * Participants' names. The default is Swedish, in Latin-1 like most names here (the PDF is then set in Helvetica);
   * {@code -Dmail.name="Nguyễn Thị Lan"} measures names that need the embedded TrueType font.
   */
  static final String NAME = System.getProperty("mail.name", "Åsa Öberg");

  static double run(TestApp app, MailClient client, MailRenderer renderer, IntSupplier receivedCount, long event, int n,
                    String label, long postmaster) {
    Db.exec(app.databaseUrl, "delete from outbox");
    String batch = "b" + System.nanoTime();
    Db.exec(app.databaseUrl, "insert into registration (event_id, status, waitlist_seq, name, email, confirmed_at) "
        + "select " + event + ", 'confirmed', nextval('waitlist_seq'), '" + NAME.replace("'", "''") + " ' || i, '" + batch + "-' || i || '@example.org', now() "
        + "from generate_series(1, " + n + ") i");
    Db.exec(app.databaseUrl, "update event set seats_taken = seats_taken + " + n + " where id = " + event);
    Db.exec(app.databaseUrl, "insert into outbox (kind, event_id, registration_id) select 'confirmed', event_id, id "
        + "from registration where email like '" + batch + "-%'");
    int before = receivedCount.getAsInt();
    MailWorker worker = new MailWorker(app.vertx, app.running.database().pool(), client, renderer, "Samla <noreply@test.example>",
        "localhost", new MailWorker.Timing(Duration.ofMillis(100), Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(1), Duration.ofHours(24), 50));
    Cpu cpuBefore = Cpu.now(postmaster);
    long t0 = System.nanoTime();
    int settled = awaitLong(worker.runOnce());
    double seconds = (System.nanoTime() - t0) / 1e9;
    Cpu used = Cpu.now(postmaster).minus(cpuBefore);
    int received = receivedCount.getAsInt() - before;
    System.out.printf("MAIL %s: %d ticket e-mails (QR inline, PDF, .ics) rendered and delivered in %.2f s = %.0f e-mails/s; "
        + "settled %d, received %d%n", label, n, seconds, n / seconds, settled, received);
    if (!"warm-up".equals(label)) {
      System.out.println(used.report(n, seconds));
    }
    return n / seconds;
  }

  /**
   * CPU time used: by this JVM (in all and per thread group) and by PostgreSQL (the postmaster, its live children,
   * and the children it has reaped). Linux only (/proc); elsewhere the PostgreSQL part is 0.
   */
  record Cpu(long processNanos, Map<Long, Long> threadNanos, Map<Long, String> threadNames, long postgresNanos) {
    static Cpu now(long postmaster) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, Long> nanos = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (t != null) {
          long n = threads.getThreadCpuTime(t.getThreadId());
          if (n > 0) {
            nanos.put(t.getThreadId(), n);
            names.put(t.getThreadId(), t.getThreadName());
          }
        }
      }
      long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      return new Cpu(process, nanos, names, postgres(postmaster));
    }

    /** Per thread alive at the end; a thread that ended in between is lost (it shows as "other"). */
    Cpu minus(Cpu before) {
      Map<Long, Long> nanos = new HashMap<>();
      threadNanos.forEach((id, n) -> nanos.put(id, n - before.threadNanos.getOrDefault(id, 0L)));
      return new Cpu(processNanos - before.processNanos, nanos, threadNames, postgresNanos - before.postgresNanos);
    }

    Map<String, Long> groups() {
      Map<String, Long> groups = new TreeMap<>();
      threadNanos.forEach((id, n) -> groups.merge(group(threadNames.get(id)), n, Long::sum));
      groups.put("other (ended threads, GC, JIT)", processNanos - threadNanos.values().stream().mapToLong(Long::longValue).sum());
      return groups;
    }

    /** Thread names without their numbers: "vert.x-worker-thread-3" → "vert.x-worker-thread". */
    static String group(String name) {
      if (name.startsWith("smtp:") || name.contains("greenmail")) {
        return "GreenMail (SMTP sink)";
      }
      if (name.startsWith("org.subethamail") || name.toLowerCase().contains("subetha") || name.startsWith("SMTPServer")) {
        return "SubEtha (SMTP sink)";
      }
      return name.replaceAll("[-#\\s]*\\d+$", "").replaceAll("\\d+", "N");
    }

    String report(int mails, double seconds) {
      double jvm = processNanos / 1e6 / mails;
      double pg = postgresNanos / 1e6 / mails;
      StringBuilder s = new StringBuilder(String.format(
          "MAIL   CPU per mail: JVM %.2f ms + PostgreSQL %.2f ms = %.2f ms (%.0f%% of 2 cores over the run);"
              + " 2 cores doing only this would send at most %.0f e-mails/s%n   by thread group (ms per mail, share of the JVM's):",
          jvm, pg, jvm + pg, 100 * (processNanos + postgresNanos) / 1e9 / seconds / 2, 2000 / (jvm + pg)));
      Map<String, Long> groups = groups();
      groups.entrySet().stream().filter(e -> e.getValue() > processNanos / 200)
          .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
          .forEach(e -> s.append(String.format(" %s %.2f (%.0f%%);", e.getKey(), e.getValue() / 1e6 / mails,
              100.0 * e.getValue() / processNanos)));
      long sink = groups.entrySet().stream().filter(e -> e.getKey().contains("SMTP sink")).mapToLong(Map.Entry::getValue).sum();
      s.append(String.format("%n   without the SMTP sink's threads: %.2f ms per mail (JVM %.2f + PostgreSQL %.2f)"
              + " → at most %.0f e-mails/s on 2 idle cores", (processNanos - sink + postgresNanos) / 1e6 / mails,
          (processNanos - sink) / 1e6 / mails, pg, 2000 / ((processNanos - sink + postgresNanos) / 1e6 / mails)));
      return s.toString();
    }

    static long postgres(long postmaster) {
      if (postmaster <= 0) {
        return 0;
      }
      long ticks = 0;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path p : procs.toList()) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          String[] f = stat(Long.parseLong(name));
          if (f == null) {
            continue;
          }
          long pid = Long.parseLong(name);
          if (pid == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
          } else if (Long.parseLong(f[1]) == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        }
      } catch (Exception e) {
        return 0;
      }
      return ticks * 10_000_000L;  // USER_HZ = 100 on Linux
    }

    /** /proc/PID/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime. */
    static String[] stat(long pid) {
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
      } catch (Exception e) {
        return null;
      }
    }
  }

  /** The PostgreSQL server's main process, from the first line of postmaster.pid in its data directory. */
  static long postmaster(TestApp app) {
    try {
      String dir = (String) Db.column(app.databaseUrl, "select setting from pg_settings where name = 'data_directory'").get(0);
      return Long.parseLong(Files.readAllLines(Path.of(dir, "postmaster.pid")).get(0).strip());
    } catch (Exception e) {
      System.out.println("MAIL PostgreSQL's CPU time cannot be counted here: " + e);
      return -1;
    }
  }

  /** A whole run may take longer than a test's usual wait when the machine is busy. */
  static <T> T awaitLong(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static double smtpAlone(MailClient client, byte[] png) {
    long t0 = System.nanoTime();
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sends.add(client.sendMail(new MailMessage().setFrom("a@test.example").setTo("b" + i + "@example.org").setSubject("x")
          .setHtml("<p>x</p>").setText("x").setInlineAttachment(io.vertx.ext.mail.MailAttachment.create()
              .setData(io.vertx.core.buffer.Buffer.buffer(png)).setContentType("image/png").setContentId("<qr@samla>"))));
    }
    await(Future.join(sends));
    return (System.nanoTime() - t0) / 1e6 / 500;
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

  /** CPU time of this thread per call, in ms: what the step costs, however busy the machine is. */
  static double perCall(int n, Runnable r) {
    for (int i = 0; i < 20; i++) {
      r.run();
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (threads.getCurrentThreadCpuTime() - t0) / 1e6 / n;
  }
}
