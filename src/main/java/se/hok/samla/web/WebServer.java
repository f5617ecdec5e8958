package se.hok.samla.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Assembles the HTTP surface in the order that matters: headers, operations endpoints, static files,
 * language, then body → session → CSRF for pages, the API from its contract, and last the 404 and the one
 * failure handler.
 */
public final class WebServer {
  public static final long MAX_BODY_BYTES = 1024 * 1024;
  /** The pages that take a file upload (checkin/OnlineAttendancePages: the meeting tool's participant list). */
  static final String FILE_UPLOADS = "^/arrangor/evenemang/[0-9]+/narvaro/lista$";
  private static final String UPLOADS_DIRECTORY =
      java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "samla-uploads").toString();
  /** Paths where staff sign in; the web session exists only there, so public pages stay cookie-light. */
  private static final List<String> STAFF_PATHS = List.of("/login", "/logout", "/arrangor*", "/admin*", "/dev/*", "/uppfoljning*",
      "/konto*");

  private static final String SESSION_HANDLER_KEY = "samla.sessionHandler";
  private static final String SESSION_COOKIE = "samla_session";
  private static final long CSRF_LIFETIME_MS = 8L * 3600 * 1000;
  private static final String CSRF_COOKIE = "samla_csrf";
  /** The token a form came with, if it had more than an hour left (see keepAcceptedToken). */
  private static final String SENT_TOKEN_KEY = "samla.csrf.sent";

  /**
   * Without a session, Vert.x's CSRF handler mints a new token on every GET, which voids every form already on
   * screen (another tab, a favicon fetch). A GET that brings a token with more than an hour left reuses it;
   * POSTs still go through the handler, which checks signature, age and cookie.
   */
  private static Handler<RoutingContext> keepFreshToken(Handler<RoutingContext> csrf) {
    return ctx -> {
      String method = ctx.request().method().name();
      io.vertx.core.http.Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
      boolean safe = "GET".equals(method) || "HEAD".equals(method);
      if (cookie != null && safe && fresh(cookie.getValue())) {
        ctx.put(Templates.CSRF_KEY, cookie.getValue());
        ctx.next();
        return;
      }
      if (cookie != null && !safe && fresh(cookie.getValue())) {
        // Read now: once the handler has minted a new token, the request's cookie reads as the new one.
        ctx.put(SENT_TOKEN_KEY, cookie.getValue());
      }
      csrf.handle(ctx);
    };
  }

  /**
   * After a form is accepted Vert.x's handler mints a new token too, so a form left open in another tab was refused
   * as expired and its input lost. The token just accepted is kept instead while it has more than an hour left: one
   * token per browser for its lifetime, as OWASP allows for double-submit cookies (a new token per request protects
   * little there and breaks tabs and the back button). Runs only after the handler accepted the request.
   */
  private static void keepAcceptedToken(RoutingContext ctx) {
    String accepted = ctx.get(SENT_TOKEN_KEY);
    if (accepted != null) {
      ctx.response().removeCookie(CSRF_COOKIE, false);  // the new token is not sent; the browser keeps its own
      ctx.put(Templates.CSRF_KEY, accepted);
    }
    ctx.next();
  }

  /** Whether a token of ours (random.issuedMillis.signature) has more than an hour of its lifetime left. */
  private static boolean fresh(String token) {
    String[] parts = token.split("\\.");
    try {
      long issued = parts.length == 3 ? Long.parseLong(parts[1]) : 0;
      return System.currentTimeMillis() < issued + CSRF_LIFETIME_MS - 3600_000L;
    } catch (NumberFormatException e) {
      return false;  // not ours: the handler issues a proper one
    }
  }

  /** Stores the web session now, before the answer goes out (a browser follows a redirect at once). */
  public static Future<Void> saveSession(RoutingContext ctx) {
    SessionHandler handler = ctx.get(SESSION_HANDLER_KEY);
    return handler == null ? Future.succeededFuture() : handler.flush(ctx, true);
  }

  /** A feature's pages. */
  public interface Pages {
    void mount(Router router);
  }

  /** A feature's API operations. */
  public interface Operations {
    void mount(Api api);
  }

  public record Parts(
      Pool pool,
      Templates templates,
      SessionStore sessions,
      byte[] csrfSecret,
      boolean secureCookies,
      String publicUrl,
      Handler<RoutingContext> staffFromSession,
      java.util.function.Supplier<Api> apis,
      String openApiDocument,
      List<Pages> pages,
      List<Operations> operations,
      RequestLoad load,
      ClientAddress clientAddress,
      boolean strictTransportSecurity,
      Readiness readiness) {}

  private WebServer() {}

  /**
   * A router with handlers of its own: each HTTP server instance (each event loop) gets one, so that no handler's
   * state (the static files' cache, the CSRF signer, the API's validators) is shared between threads.
   */
  public static Router router(Vertx vertx, Parts parts) {
    Router router = Router.router(vertx);
    Api api = parts.apis().get();
    Failures failures = new Failures(parts.templates());

    router.route().handler(parts.load().counter());
    router.route().handler(securityHeaders(parts.strictTransportSecurity()));
    router.route().handler(parts.clientAddress().handler());
    mountHealth(router, parts.readiness());
    router.get("/openapi.yaml").handler(openApiDocument(parts.openApiDocument(), parts.publicUrl()));
    router.route("/static/*").handler(StaticHandler.create("webroot").setMaxAgeSeconds(3600));
    router.get("/favicon.ico").handler(ctx -> ctx.redirect("/static/img/favicon.svg"));
    router.route().handler(Lang.handler(parts.secureCookies()));
    // The one page that takes a file (an online meeting's participant list) keeps it, in a temporary file deleted when
    // the answer is sent; every other form's files are dropped unread. The first body handler on a request is the one.
    router.routeWithRegex(FILE_UPLOADS).handler(BodyHandler.create(true)
        .setBodyLimit(MAX_BODY_BYTES)
        .setUploadsDirectory(UPLOADS_DIRECTORY)
        .setDeleteUploadedFilesOnEnd(true));
    router.route().handler(BodyHandler.create(false)
        .setBodyLimit(MAX_BODY_BYTES)
        .setHandleFileUploads(false));

    // CSRF before the session: with no session in sight the handler uses signed double-submit cookies, so a
    // form's token never depends on a session write (which Vert.x skips on 4xx answers, and makes after the
    // response). The session then holds only who is signed in, and is saved before any redirect (saveSession).
    CSRFHandler csrf = CSRFHandler.create(vertx, new String(java.util.Base64.getEncoder().encode(parts.csrfSecret())))
        .setCookieName(CSRF_COOKIE)
        .setHeaderName(Templates.CSRF_KEY)
        .setCookieSecure(parts.secureCookies())
        .setCookieHttpOnly(true)
        .setTimeout(CSRF_LIFETIME_MS);
    router.routeWithRegex("^/(?!api/).*").handler(keepFreshToken(csrf)).handler(WebServer::keepAcceptedToken);

    SessionHandler session = SessionHandler.create(parts.sessions())
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(parts.secureCookies())
        .setCookieSameSite(CookieSameSite.LAX)
        .setSessionTimeout(8L * 3600 * 1000)
        .setLazySession(true);
    for (String path : STAFF_PATHS) {
      router.route(path).handler(onlyForSessions(session)).handler(ctx -> {
        ctx.put(SESSION_HANDLER_KEY, session);
        ctx.next();
      }).handler(parts.staffFromSession());
    }

    parts.pages().forEach(p -> p.mount(router));
    parts.operations().forEach(o -> o.mount(api));
    // The contract names its paths without the /api/v1 of its server URL.
    router.route("/api/v1/*").subRouter(api.builder().createRouter());

    router.route().last().handler(failures::notFound);
    router.route().failureHandler(failures::handle);
    return router;
  }

  /**
   * A web session only where there can be one: the browser brings a session cookie, or it is signing in. Lazy
   * sessions alone do not do it: Vert.x's CSRF handler looks at the (not yet existing) session on every page, which
   * counts as using it, so every anonymous visit to a staff page got a session cookie (and, before PgSessionStore
   * stored only signed-in sessions, a row). Without a session, handlers see none and nobody is signed in.
   */
  private static Handler<RoutingContext> onlyForSessions(SessionHandler session) {
    return ctx -> {
      boolean signingIn = "POST".equals(ctx.request().method().name()) && "/login".equals(ctx.request().path());
      if (signingIn || ctx.request().getCookie(SESSION_COOKIE) != null) {
        session.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  /**
   * The operator's port: Prometheus metrics and health, apart from the public port (bound to loopback unless
   * SAMLA_MANAGEMENT_HOST says otherwise), so that nobody on the internet reads the service's internals.
   */
  public static Router managementRouter(Vertx vertx, Readiness readiness, String metricsRegistry) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metricsRegistry));
    mountHealth(router, readiness);
    return router;
  }

  /** {@code /health/live}, {@code /health/ready}, and {@code /health} as ready (see {@link Readiness}). */
  private static void mountHealth(Router router, Readiness readiness) {
    router.get("/health/live").handler(readiness.live());
    router.get("/health/ready").handler(readiness.ready());
    router.get("/health").handler(readiness.ready());
  }

  /** The management server on its own host and port. */
  public static Future<HttpServer> listenManagement(Vertx vertx, Router router, String host, int port) {
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }

  /** The contract as written ({@code openapi.yaml}, read once at start), with this installation's own URL as its server. */
  private static Handler<RoutingContext> openApiDocument(String contract, String publicUrl) {
    String document = contract.replace("https://samla.example/api/v1", publicUrl + "/api/v1");
    return ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(document);
  }

  /** With an https public address, browsers are also told to come back over HTTPS only, for a year. */
  private static Handler<RoutingContext> securityHeaders(boolean strictTransportSecurity) {
    return ctx -> {
      ctx.response()
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "same-origin")
          .putHeader("X-Frame-Options", "SAMEORIGIN")
          .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "
              + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'");
      if (strictTransportSecurity) {
        ctx.response().putHeader("Strict-Transport-Security", "max-age=31536000");
      }
      ctx.next();
    };
  }

  /** The public HTTP servers: their deployment (one verticle instance per server), the servers and their routers. */
  public record Listening(String deployment, List<HttpServer> servers, List<Router> routers) {}

  /**
   * Starts {@code instances} HTTP servers on one address and port, each in a verticle instance of its own and so on an
   * event loop of its own, each with its own router ({@code routers} is called once per instance, on that instance's
   * event loop). Vert.x spreads the accepted connections across them.
   */
  public static Future<Listening> listen(Vertx vertx, java.util.function.Supplier<Router> routers, String host, int port,
                                         int instances) {
    java.util.Queue<Served> served = new java.util.concurrent.ConcurrentLinkedQueue<>();
    return vertx.deployVerticle(() -> new Instance(routers, host, port, served),
            new io.vertx.core.DeploymentOptions().setInstances(instances))
        .map(id -> new Listening(id, served.stream().map(Served::server).toList(),
            served.stream().map(Served::router).toList()));
  }

  private record Served(HttpServer server, Router router) {}

  /** One public HTTP server; its requests are handled on the event loop of this verticle instance. */
  private static final class Instance extends io.vertx.core.VerticleBase {
    private final java.util.function.Supplier<Router> routers;
    private final String host;
    private final int port;
    private final java.util.Queue<Served> served;

    Instance(java.util.function.Supplier<Router> routers, String host, int port, java.util.Queue<Served> served) {
      this.routers = routers;
      this.host = host;
      this.port = port;
      this.served = served;
    }

    @Override
    public Future<?> start() {
      Router router = routers.get();
      // A form field may be as long as the whole body may be (default 8 KiB): a long free-text answer then reaches
      // the field checks and comes back with "at most N characters" and the text kept, instead of a bare 400.
      return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
              .setMaxFormAttributeSize((int) MAX_BODY_BYTES))
          .requestHandler(router)
          .listen(port, host)
          .onSuccess(server -> served.add(new Served(server, router)));
    }
  }
}
