package se.hok.samla;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.hok.samla.checkin.CheckinApi;
import se.hok.samla.checkin.CheckinPages;
import se.hok.samla.checkin.OnlineAttendancePages;
import se.hok.samla.checkin.CheckinService;
import se.hok.samla.checkin.LiveCounts;
import se.hok.samla.config.Config;
import se.hok.samla.config.ConfigException;
import se.hok.samla.db.Database;
import se.hok.samla.demo.DemoData;
import se.hok.samla.events.EventApi;
import se.hok.samla.events.EventPages;
import se.hok.samla.events.EventService;
import se.hok.samla.events.OrganiserPages;
import se.hok.samla.followup.ReportApi;
import se.hok.samla.followup.ReportPages;
import se.hok.samla.followup.ReportService;
import se.hok.samla.followup.FeedbackPages;
import se.hok.samla.followup.FeedbackService;
import se.hok.samla.followup.FeedbackThanks;
import se.hok.samla.mail.MailCatcher;
import se.hok.samla.registration.EventNeeds;
import se.hok.samla.registration.NeedCataloguePages;
import se.hok.samla.registration.GroupSignUpPages;
import se.hok.samla.registration.NeedTasks;
import se.hok.samla.registration.OrganiserRegistrationPages;
import se.hok.samla.registration.ParticipantPages;
import se.hok.samla.registration.RegistrationApi;
import se.hok.samla.registration.RegistrationService;
import se.hok.samla.mail.MailRenderer;
import se.hok.samla.mail.MailWorker;
import se.hok.samla.mail.OrganiserAlerts;
import se.hok.samla.mail.Outbox;
import se.hok.samla.mail.Reminders;
import se.hok.samla.tickets.TicketApi;
import se.hok.samla.mail.TicketMailFiles;
import se.hok.samla.tickets.TicketService;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import se.hok.samla.mail.MailStatusPages;
import se.hok.samla.privacy.AuditLog;
import se.hok.samla.privacy.AuditPages;
import se.hok.samla.privacy.PersonalData;
import se.hok.samla.registration.Retention;
import se.hok.samla.staff.ApiTokenPages;
import se.hok.samla.staff.EventAccess;
import se.hok.samla.staff.EventStaff;
import se.hok.samla.staff.EventStaffRoutes;
import se.hok.samla.staff.EventTitles;
import se.hok.samla.events.ActionPlan;
import se.hok.samla.events.OrganisationNames;
import se.hok.samla.events.OrganisationPages;
import se.hok.samla.events.Organisations;
import se.hok.samla.events.PlanApi;
import se.hok.samla.events.PlanPages;
import se.hok.samla.registration.SignUpLimits;
import se.hok.samla.registration.TicketAtHand;
import se.hok.samla.staff.PasswordPages;
import se.hok.samla.staff.PasswordResets;
import se.hok.samla.staff.Passwords;
import se.hok.samla.staff.PgSessionStore;
import se.hok.samla.staff.SignInThrottle;
import se.hok.samla.staff.StaffMails;
import se.hok.samla.web.ClientAddress;
import se.hok.samla.web.RateLimiter;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.staff.StaffChanges;
import se.hok.samla.staff.StaffRoutes;
import se.hok.samla.staff.StaffService;
import se.hok.samla.web.Api;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Templates;
import se.hok.samla.web.Readiness;
import se.hok.samla.web.RequestLoad;
import se.hok.samla.web.WebServer;

/** Boots Samla: configuration → mail catcher → database and migrations → admin → demo data → web servers. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);
  public static final String METRICS_REGISTRY = "samla";

  /** How long requests in flight may take to finish when Samla is asked to stop (SIGTERM). */
  static final Duration REQUEST_GRACE = Duration.ofSeconds(10);
  /** How long the e-mail being sent may take to finish and be recorded when Samla stops. */
  static final Duration MAIL_GRACE = Duration.ofSeconds(10);

  /** A running Samla; {@link #stop()} shuts it down gracefully. */
  public record Running(Vertx vertx, Config config, int port, Database database, Optional<MailCatcher> mailCatcher,
                        List<HttpServer> servers, Optional<String> generatedAdminPassword, MailWorker mailWorker,
                        MailClient mailClient, LiveCounts live, StaffChanges staffChanges, RequestLoad load,
                        String backgroundJobs,
                        List<Router> routers, Readiness readiness, String httpServers) {

    /** The first HTTP server's router; every server has one of its own, with the same routes. */
    public Router router() {
      return routers.get(0);
    }

    /**
     * In this order: take no new request and stop the periodic jobs; stop accepting connections (the listening sockets
     * close at once) while the requests in flight finish (at most {@link #REQUEST_GRACE}) and the mail worker finishes
     * and records the e-mail it is sending ({@link #MAIL_GRACE}); then close the pool, and only then stop the embedded
     * database and the mail catcher.
     */
    public Future<Void> stop() {
      // A connection the server accepted in the instant before it stopped listening may miss the shutdown and be closed
      // under its request later: a request that begins from now on is not taken at all (its connection is closed
      // unread, nothing is saved; the client may try again), and those in progress are answered.
      load.stopTaking();
      readiness.stopping();
      List<Future<Void>> draining = new ArrayList<>();
      draining.add(vertx.undeploy(backgroundJobs).recover(e -> Future.succeededFuture()));
      // Open live-count streams never end by themselves; end them so the servers can shut down at once.
      draining.add(live.stop());
      draining.add(staffChanges.stop());
      servers.forEach(s -> draining.add(s.shutdown(REQUEST_GRACE.toMillis(), TimeUnit.MILLISECONDS)));
      draining.add(mailWorker.stop(MAIL_GRACE));
      return Future.join(draining)
          .transform(r -> vertx.undeploy(httpServers).recover(e -> Future.succeededFuture()))
          // A connection still stuck on a silent relay would hold close() until its own timeout.
          .transform(r -> mailClient.close().timeout(2, TimeUnit.SECONDS))
          .transform(r -> database.close(vertx))
          .eventually(() -> vertx.executeBlocking(() -> {
            mailCatcher.ifPresent(MailCatcher::stop);
            return null;
          }))
          .mapEmpty();
    }
  }

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv(), args, Passwords::adminProblem);
    } catch (ConfigException e) {
      System.err.println("Samla: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(vertxOptions(METRICS_REGISTRY));
    java.util.concurrent.CompletableFuture<Running> starting = start(vertx, config, Clock.systemDefaultZone(),
        METRICS_REGISTRY).toCompletionStage().toCompletableFuture();
    // Registered before the start completes: SIGTERM during the start lets it finish, then stops everything it started
    // (a failed start has stopped what it had started itself).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Running started;
      try {
        started = starting.get(2, TimeUnit.MINUTES);
      } catch (Exception startFailed) {
        return;
      }
      log.info("Shutting down: no new connections; finishing the requests and e-mail in flight");
      try {
        started.stop().eventually(vertx::close).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        log.info("Stopped");
      } catch (Exception e) {
        log.warn("Shutdown did not finish cleanly", e);
      }
    }, "samla-shutdown"));
    Running running;
    try {
      running = starting.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException) {
        System.err.println("Samla: " + cause.getMessage());
      } else {
        log.error("Samla could not start", cause);
      }
      vertx.close();
      System.exit(1);
      return;
    }
    printWelcome(running);
  }

  /** Vert.x with Micrometer metrics in the named registry, scraped by Prometheus at /metrics. */
  public static VertxOptions vertxOptions(String metricsRegistry) {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setRegistryName(metricsRegistry)
        .setEnabled(true));
  }

  public static Future<Running> start(Vertx vertx, Config config, Clock clock, String metricsRegistry) {
    List<String> lacking = new ArrayList<>();
    if (config.database().isEmpty()) {
      Database.embeddedUnavailable().ifPresent(lacking::add);
    }
    if (config.devMailCatcher()) {
      MailCatcher.unavailable().ifPresent(lacking::add);
    }
    if (!lacking.isEmpty()) {
      return Future.failedFuture(new ConfigException(String.join("; ", lacking)));
    }
    // Only without a relay: with one, the catcher's classes (and GreenMail) are never loaded.
    Optional<MailCatcher> catcher = config.devMailCatcher() ? Optional.of(MailCatcher.start()) : Optional.empty();
    return Database.start(vertx, config)
        // A failed start stops the database before it reports, so that the process never exits leaving it running.
        .compose(db -> start(vertx, config, clock, metricsRegistry, db, catcher)
            .recover(e -> db.close(vertx).transform(closed -> Future.<Running>failedFuture(e))))
        .onFailure(e -> catcher.ifPresent(MailCatcher::stop));
  }

  /**
   * What takes seconds of CPU or reads files at start, made on a worker thread so that no event loop is blocked: the
   * Argon2 hash that unknown addresses are checked against, every page template compiled, the e-mail templates, and
   * the API contract's text.
   */
  private record Prepared(String dummyHash, Templates templates, MailRenderer.Compiled mailTemplates, String openApi) {}

  private static Future<Running> start(Vertx vertx, Config config, Clock clock, String metricsRegistry, Database db,
                                       Optional<MailCatcher> catcher) {
    return vertx.executeBlocking(() -> new Prepared(StaffService.dummyHash(),
            new Templates(vertx, catcher.isPresent()).compileAll(), MailRenderer.compile(),
            vertx.fileSystem().readFileBlocking("openapi.yaml").toString()))
        .compose(prepared -> start(vertx, config, clock, metricsRegistry, db, catcher, prepared));
  }

  private static Future<Running> start(Vertx vertx, Config config, Clock clock, String metricsRegistry, Database db,
                                       Optional<MailCatcher> catcher, Prepared prepared) {
    Pool pool = db.pool();
    String host = java.net.URI.create(config.publicUrl()).getHost();
    StaffService staff = new StaffService(vertx, pool, prepared.dummyHash());
    StaffAuth auth = new StaffAuth(staff);
    EventStaff eventStaff = new EventStaff(pool, staff);
    StaffChanges staffChanges = new StaffChanges(vertx, db.connectOptions(), staff, eventStaff);
    EventAccess access = new EventAccess(auth, eventStaff);
    AuditLog audit = new AuditLog(pool);
    Templates templates = prepared.templates();
    EventService events = new EventService(pool, Outbox.EVENT_MAILS, config.limits().changeNoticeDelay(), clock);
    EventTitles eventTitles = (id, lang) -> events.get(id)
        .map(e -> lang == Lang.EN && e.titleEn() != null && !e.titleEn().isBlank() ? e.titleEn() : e.titleSv());
    RegistrationService registrations = new RegistrationService(pool, clock, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    EventNeeds needs = new EventNeeds(pool);
    NeedTasks needTasks = new NeedTasks(pool, se.hok.samla.mail.Outbox.REGISTRATION_MAILS);
    TicketService tickets = new TicketService(vertx, pool);
    ActionPlan plan = new ActionPlan(pool);
    Organisations organisations = new Organisations(pool);
    ReportService reports = new ReportService(pool, events, plan, clock);
    MailWorker.Timing mailTiming = MailWorker.Timing.production();
    MailClient mailClient = MailClient.create(vertx, MailWorker.withTimeouts(mailConfig(config, catcher), mailTiming));
    TicketMailFiles ticketFiles = new TicketMailFiles(vertx, tickets, registrations, host, clock);
    MailRenderer renderer = new MailRenderer(registrations, events, ticketFiles, config.publicUrl(), clock,
            prepared.mailTemplates())
        .messagesFrom(pool);
    FeedbackService feedback = new FeedbackService(pool);
    renderer.feedbackLinks(id -> feedback.thankYouLink(id)
        .map(link -> link.map(l -> new MailRenderer.FeedbackLink(l.path(), l.closesAt()))));
    renderer.staffNotices(new StaffMails(pool, config.publicUrl()));
    RateLimiter limiter = new RateLimiter(vertx, pool, clock);
    SignInThrottle throttle = new SignInThrottle(limiter, config.limits(), staff, pool, Outbox::addForStaff);
    PasswordResets resets = new PasswordResets(vertx, pool, staff, Outbox::addForStaff);
    OrganisationNames organisationNames = new OrganisationNames(pool);
    RequestLoad load = RequestLoad.forThisMachine();
    MailWorker mailWorker = new MailWorker(vertx, pool, mailClient, renderer, config.mailFrom(), host,
        mailTiming).yieldTo(load::busy);
    CheckinService checkins = new CheckinService(pool, tickets, registrations);
    LiveCounts live = new LiveCounts(vertx, pool, checkins, db.connectOptions());
    // Not ready until the very end of the start: the port opens before the first admin exists and the workers run.
    Readiness readiness = new Readiness(pool);

    List<WebServer.Pages> pages = new ArrayList<>(List.of(
        // First: the limits in front of the sign-up routes (pages and API).
        new SignUpLimits(limiter, config.limits(), organisationNames)::mount,
        new StaffRoutes(staff, auth, templates, throttle)::mount,
        new PasswordPages(resets, throttle, limiter, config.limits(), auth, templates)::mount,
        new OrganisationPages(organisationNames, organisations, auth, templates)::mount,
        new PlanPages(plan, reports::keptPeople, auth, templates)::mount,
        new EventPages(events, templates, config.publicUrl(), config.accessibilityContact(), clock)::mount,
        new OrganiserPages(events, plan, auth, access, needs, templates, clock)::mount,
        new ParticipantPages(registrations, events, new PersonalData(pool), templates, clock)
            .withTicket(new TicketAtHand(vertx, registrations, events, tickets, ticketFiles, limiter, config.limits(),
                templates, config.publicUrl(), clock))::mount,
        new GroupSignUpPages(registrations, events, templates, clock)::mount,
        new OrganiserRegistrationPages(registrations, needs, needTasks, events, access, audit, templates, clock)::mount,
        new NeedCataloguePages(registrations, auth, templates)::mount,
        new MailStatusPages(pool, access, audit, templates)::mount,
        new CheckinPages(checkins, live, events, staff, access, audit, templates)::mount,
        new OnlineAttendancePages(vertx, checkins, live, events, access, audit, templates)::mount,
        new ReportPages(vertx, reports, auth, access, audit, templates, clock)::mount,
        new FeedbackPages(feedback, events, access, audit, templates, clock)::mount,
        new EventStaffRoutes(eventStaff, staff, access, templates, eventTitles)::mount,
        new ApiTokenPages(staff, auth, templates, eventTitles)::mount,
        new AuditPages(audit, auth, templates)::mount));
    catcher.ifPresent(c -> pages.add(router -> c.mount(router, auth, templates)));
    List<WebServer.Operations> operations = List.of(
        new StaffRoutes(staff, auth, templates, throttle)::mount,
        new EventApi(events, auth, access, config.publicUrl(), clock)::mount,
        new RegistrationApi(registrations, needs, needTasks, access, audit)::mount,
        new TicketApi(tickets, access)::mount,
        new CheckinApi(checkins, live, access, audit)::mount,
        new ReportApi(reports, auth, access)::mount,
        new PlanApi(plan, reports::keptPeople, organisations, auth)::mount,
        new EventStaffRoutes(eventStaff, staff, access, templates, eventTitles)::mount);

    return (config.demo() ? DemoData.loadOnce(pool, clock).<Void>mapEmpty() : Future.<Void>succeededFuture())
        // Before retention can erase an address: every open period gets its secret, and registrations that still
        // have their address get their participant keys (those made before their period existed, the demo's).
        .compose(v -> plan.start())
        .compose(keys -> {
          if (keys > 0) {
            log.info("Participant keys computed or removed for {} registrations", keys);
          }
          return live.start();
        })
        .compose(v -> staffChanges.start())
        .compose(v -> csrfSecret(db))
        .compose(secret -> OpenAPIContract.from(vertx, "openapi.yaml").map(contract -> new WebServer.Parts(pool,
            templates, new PgSessionStore(pool).init(vertx, new io.vertx.core.json.JsonObject()),
            secret, config.secureCookies(), config.publicUrl(), auth.fromSession(),
            () -> new Api(vertx, contract), prepared.openApi(), pages, operations, load,
            new ClientAddress(config.trustedProxies()), config.strictTransportSecurity(), readiness)))
        .compose(parts -> WebServer.listen(vertx, () -> WebServer.router(vertx, parts), config.httpHost(),
                config.httpPort(), config.httpInstances())
            .map(listening -> new Served(listening.routers(), listening.servers(), listening.deployment())))
        .compose(served -> !config.management().enabled() ? Future.succeededFuture(served)
            : WebServer.listenManagement(vertx, WebServer.managementRouter(vertx, readiness, metricsRegistry),
                    config.management().host(), config.management().port())
                .map(management -> {
                  List<HttpServer> all = new ArrayList<>(served.servers());
                  all.add(management);  // after the public servers: servers.get(0) stays the public port
                  return new Served(served.routers(), all, served.http());
                }))
        .compose(served -> vertx.deployVerticle(new BackgroundJobs(() -> {
              limiter.scheduleCleanup();
              new Retention(pool, config.retentionDays(), clock, se.hok.samla.mail.Outbox.REGISTRATION_MAILS).schedule(vertx);
              staff.scheduleTokenCleanup();
              new Reminders(pool).schedule(vertx);
              new OrganiserAlerts(pool, config.limits().organiserAlertInterval()).schedule(vertx);
              new FeedbackThanks(feedback).schedule(vertx);
              plan.schedule(vertx);
            }))
            .map(jobs -> {
              if (config.sendMail()) {
                mailWorker.start();
              }
              return new Started(served.routers(), served.servers(), jobs, served.http());
            }))
        // Last, so that a failed start never consumes the one-time generated admin password; /health/ready says UP
        // only from here on.
        .compose(started -> staff.bootstrapAdmin(config.adminEmail(), config.adminPassword())
            .map(generated -> {
              readiness.started();
              return new Running(vertx, config, started.servers().get(0).actualPort(), db, catcher,
                  started.servers(), generated, mailWorker, mailClient, live, staffChanges, load, started.jobs(), started.routers(),
                  readiness, started.http());
            }));
  }

  /** The routers (one per public server; tests walk their routes), the servers and their deployment. */
  private record Served(List<Router> routers, List<HttpServer> servers, String http) {}

  private record Started(List<Router> routers, List<HttpServer> servers, String jobs, String http) {}

  /**
   * The periodic jobs (retention, expired tokens and rate-limit buckets, reminders, organiser alerts, thank-you mails),
   * started in a verticle of their own: their timers belong to it, so undeploying it at shutdown stops them all before
   * the pool closes under them.
   */
  private static final class BackgroundJobs extends io.vertx.core.VerticleBase {
    private final Runnable schedule;

    BackgroundJobs(Runnable schedule) {
      this.schedule = schedule;
    }

    @Override
    public Future<?> start() {
      schedule.run();
      return Future.succeededFuture();
    }
  }


  /** The configured SMTP relay, or the local mail catcher. */
  static MailConfig mailConfig(Config config, Optional<MailCatcher> catcher) {
    if (config.smtp().isPresent()) {
      Config.Smtp smtp = config.smtp().get();
      MailConfig mail = new MailConfig().setHostname(smtp.host()).setPort(smtp.port())
          .setStarttls(smtp.startTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.OPTIONAL)
          .setMaxPoolSize(8).setKeepAlive(true);
      smtp.username().ifPresent(u -> mail.setUsername(u).setLogin(LoginOption.REQUIRED));
      smtp.password().ifPresent(mail::setPassword);
      return mail;
    }
    MailCatcher c = catcher.orElseThrow();
    return new MailConfig().setHostname(c.host()).setPort(c.port()).setStarttls(StartTLSOptions.DISABLED)
        .setLogin(LoginOption.DISABLED).setMaxPoolSize(8).setKeepAlive(true);
  }

  /** The CSRF signing key, made once and shared by every instance through the database. */
  private static Future<byte[]> csrfSecret(Database db) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return db.pool().preparedQuery("insert into app_secret (name, value) values ('csrf', $1) on conflict (name) do nothing")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(fresh)))
        .compose(r -> db.pool().query("select value from app_secret where name = 'csrf'").execute())
        .map(rows -> rows.iterator().next().getBuffer("value").getBytes());
  }

  private static void printWelcome(Running running) {
    Config c = running.config();
    String url = c.httpPort() == running.port() ? c.publicUrl() : "http://localhost:" + running.port();
    StringBuilder out = new StringBuilder("\n  Samla is running: ").append(url).append('\n');
    if (c.httpHost().equals("127.0.0.1")) {
      out.append("                    (for this machine only; SAMLA_HTTP_HOST=0.0.0.0 opens it to the network)\n");
    }
    out.append("  Organiser login:  ").append(url).append("/login  as ").append(c.adminEmail()).append('\n');
    running.generatedAdminPassword().ifPresent(pw ->
        out.append("  Admin password:   ").append(pw).append("   (shown once; set SAMLA_ADMIN_PASSWORD to choose it)\n"));
    running.mailCatcher().ifPresent(m ->
        out.append("  Mail catcher:     ").append(url).append("/dev/mail  (SMTP on ").append(m.host()).append(':')
            .append(m.port()).append(")\n"));
    if (c.management().enabled()) {
      out.append("  Metrics:          http://").append(c.management().host()).append(':').append(c.management().port())
          .append("/metrics  (management port)\n");
    }
    if (c.database().isEmpty()) {
      out.append("  Database:         embedded PostgreSQL, data in ").append(c.dataDir().resolve("postgres")).append('\n');
    }
    System.out.println(out);
  }
}
