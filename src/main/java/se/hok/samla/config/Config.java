package se.hok.samla.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Typed configuration, read once from environment variables (and the {@code --demo} flag).
 * Every variable is listed in the README. Invalid values stop start-up with a {@link ConfigException}
 * that names the variable.
 */
public record Config(
    int httpPort,
    String publicUrl,
    Optional<DatabaseUrl> database,
    Optional<Smtp> smtp,
    String mailFrom,
    String adminEmail,
    Optional<String> adminPassword,
    Path dataDir,
    boolean demo,
    int retentionDays,
    boolean sendMail,
    int dbPoolSize,
    Limits limits,
    Management management,
    java.util.List<Network> trustedProxies,
    String httpHost,
    String accessibilityContact,
    int httpInstances) {

  /**
   * Where /metrics (and /health) are served for the operator, apart from the public port: {@code port} -1 is off.
   */
  public record Management(String host, int port) {
    public boolean enabled() {
      return port >= 0;
    }
  }

  /**
   * Database connections per instance, by default four per core plus two (10 on the project's two-core machine): more
   * only made PostgreSQL's backends queue for the CPU (p99 of door admissions ~60 ms with 16 connections, ~40 ms
   * with 10, ~30 ms with 6), fewer made sign-ups wait for a connection while others wait for an event's row lock.
   */
  private static final java.util.List<String> LOG_LEVELS = java.util.List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF");
  private static final java.util.List<String> SMTP_SETTINGS =
      java.util.List.of("SAMLA_SMTP_PORT", "SAMLA_SMTP_USERNAME", "SAMLA_SMTP_PASSWORD", "SAMLA_SMTP_STARTTLS");

  public static int defaultPoolSize() {
    return 4 * Runtime.getRuntime().availableProcessors() + 2;
  }

  /**
   * HTTP servers per instance, each on an event loop of its own: one per core by default, so that every core serves
   * requests (SAMLA_HTTP_INSTANCES).
   */
  public static int defaultHttpInstances() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * An external PostgreSQL server, from {@code DATABASE_URL}, and how the connections to it are encrypted: its
   * {@code sslmode} and {@code sslrootcert} parameters, as libpq reads them (see {@link Tls}).
   */
  public record DatabaseUrl(String host, int port, String database, String user, String password, Tls tls,
                            Optional<Path> rootCert) {
    /** Without TLS: the embedded database, on loopback. */
    public DatabaseUrl(String host, int port, String database, String user, String password) {
      this(host, port, database, user, password, Tls.DISABLE, Optional.empty());
    }

    /** The same server for JDBC (Flyway's migrations), encrypted and checked as the pool's connections are. */
    public String jdbcUrl() {
      // sslmode=disable said, too: JDBC's default (prefer) would encrypt where the pool does not, or fall back silently.
      return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + tls.value + rootCert.map(p -> "&sslrootcert="
          + java.net.URLEncoder.encode(p.toString(), java.nio.charset.StandardCharsets.UTF_8)).orElse("");
    }
  }

  /**
   * DATABASE_URL's {@code sslmode}. {@code disable} (the default): no TLS, for a database on the same machine or a
   * network of its own. {@code require}: encrypted, the server's certificate not checked – as libpq, it keeps out
   * eavesdroppers, not a machine that pretends to be the server. {@code verify-ca}: encrypted, and the certificate
   * signed by the CA in {@code sslrootcert}. {@code verify-full}: that, and issued to the host the URL names.
   * libpq's {@code prefer} and {@code allow} are refused: they fall back to an unencrypted connection without a word.
   */
  public enum Tls {
    DISABLE("disable"), REQUIRE("require"), VERIFY_CA("verify-ca"), VERIFY_FULL("verify-full");

    public final String value;

    Tls(String value) {
      this.value = value;
    }

    public boolean verifies() {
      return this == VERIFY_CA || this == VERIFY_FULL;
    }
  }

  /** A real SMTP relay. Without one, Samla runs its own mail catcher on loopback. */
  public record Smtp(String host, int port, Optional<String> username, Optional<String> password, boolean startTls) {}

  /**
   * Why a password is not accepted for the first admin with this address, in English, or empty when it is. The staff
   * feature owns the rules (staff/Passwords); Main hands them in, so that the configuration needs no feature.
   */
  @FunctionalInterface
  public interface AdminPasswordCheck {
    Optional<String> problem(String password, String email);
  }

  public static Config fromEnvironment(Map<String, String> env, String[] args, AdminPasswordCheck adminPasswordCheck) {
    int port = intVar(env, "SAMLA_HTTP_PORT", 8080, 0, 65535);
    if (port == 0) {
      port = freePort("SAMLA_HTTP_PORT");
    }
    String publicUrl = stripTrailingSlash(value(env, "SAMLA_PUBLIC_URL").orElse("http://localhost:" + port));
    requireHttpUrl("SAMLA_PUBLIC_URL", publicUrl);

    Optional<DatabaseUrl> database = value(env, "DATABASE_URL").map(Config::parseDatabaseUrl);

    // Read whether or not a relay is named, so that a wrong value is refused even where it would not be used.
    int smtpPort = intVar(env, "SAMLA_SMTP_PORT", 587, 1, 65535);
    boolean startTls = boolVar(env, "SAMLA_SMTP_STARTTLS", true);
    Optional<Smtp> smtp = value(env, "SAMLA_SMTP_HOST").map(host -> new Smtp(
        host, smtpPort, value(env, "SAMLA_SMTP_USERNAME"), value(env, "SAMLA_SMTP_PASSWORD"), startTls));
    if (smtp.isEmpty()) {
      // Settings of a relay without its host would leave Samla on its mail catcher, where no e-mail leaves the
      // machine: someone meant a relay and forgot the host.
      for (String name : SMTP_SETTINGS) {
        if (value(env, name).isPresent()) {
          throw new ConfigException(name + " is set but SAMLA_SMTP_HOST is not: set the relay's host too, or leave "
              + name + " out to use the mail catcher");
        }
      }
    }

    // Without a mail relay Samla runs for the one person at this machine (its mail catcher shows every e-mail): it
    // listens on loopback unless told otherwise. With a relay it is a server, reached through the network.
    String httpHost = value(env, "SAMLA_HTTP_HOST").orElse(smtp.isEmpty() ? "127.0.0.1" : "0.0.0.0");
    if (!httpHost.matches("[A-Za-z0-9.:\\-]{1,253}")) {
      throw new ConfigException("SAMLA_HTTP_HOST must be a host name or IP address to listen on, was " + httpHost);
    }

    String mailFrom = mailFrom(value(env, "SAMLA_MAIL_FROM").orElse("Samla HÖK <noreply@samla.localhost>"));
    logLevel(env);
    String adminEmail = env.getOrDefault("SAMLA_ADMIN_EMAIL", "admin@samla.localhost");
    if (!adminEmail.matches("[^@\\s]+@[^@\\s]+")) {
      throw new ConfigException("SAMLA_ADMIN_EMAIL is not an e-mail address: " + adminEmail);
    }
    Optional<String> adminPassword = value(env, "SAMLA_ADMIN_PASSWORD");
    adminPassword.flatMap(pw -> adminPasswordCheck.problem(pw, adminEmail))
        .ifPresent(problem -> {
          throw new ConfigException("SAMLA_ADMIN_PASSWORD is not accepted: " + problem);
        });
    Path dataDir = Path.of(env.getOrDefault("SAMLA_DATA_DIR", "data")).toAbsolutePath();
    boolean demo = boolVar(env, "SAMLA_DEMO", false);
    int retentionDays = intVar(env, "SAMLA_RETENTION_DAYS", 30, 0, 3650);
    int dbPoolSize = intVar(env, "SAMLA_DB_POOL_SIZE", defaultPoolSize(), 1, 500);
    boolean sendMail = boolVar(env, "SAMLA_SEND_MAIL", true);
    int httpInstances = intVar(env, "SAMLA_HTTP_INSTANCES", defaultHttpInstances(), 1, 256);
    Limits limits = Limits.fromEnvironment(env);
    Management management = management(env);
    java.util.List<Network> trustedProxies = networks(env, "SAMLA_TRUSTED_PROXIES");
    String accessibilityContact = accessibilityContact(value(env, "SAMLA_ACCESSIBILITY_CONTACT").orElse(adminEmail));
    for (String arg : args) {
      if (arg.equals("--demo")) {
        demo = true;
      } else {
        throw new ConfigException("Unknown argument " + arg + " (the only argument is --demo)");
      }
    }
    return new Config(port, publicUrl, database, smtp, mailFrom, adminEmail, adminPassword, dataDir, demo, retentionDays, sendMail, dbPoolSize,
        limits, management, trustedProxies, httpHost, accessibilityContact, httpInstances);
  }

  /** The sender of every e-mail, as the mail client reads it: {@code name@example.org} or {@code Name <name@example.org>}. */
  private static String mailFrom(String value) {
    String address;
    try {
      address = new io.vertx.ext.mail.mailencoder.EmailAddress(value).getEmail();
    } catch (IllegalArgumentException e) {
      address = "";
    }
    if (!address.matches("[^@\\s<>\"]+@[^@\\s<>\"]+")) {
      throw new ConfigException("SAMLA_MAIL_FROM must be an e-mail address, alone or as Name <address>, was " + value);
    }
    return value;
  }

  /** Logback reads SAMLA_LOG_LEVEL itself and takes a word it does not know for DEBUG: refused here instead. */
  private static void logLevel(Map<String, String> env) {
    value(env, "SAMLA_LOG_LEVEL").ifPresent(level -> {
      if (!LOG_LEVELS.contains(level.toUpperCase(java.util.Locale.ROOT))) {
        throw new ConfigException("SAMLA_LOG_LEVEL must be one of " + String.join(", ", LOG_LEVELS) + ", was " + level);
      }
    });
  }

  /**
   * Where people report what they cannot use (the accessibility statement, /tillganglighet): an e-mail address, or
   * the https:// address of a form. SAMLA_ACCESSIBILITY_CONTACT; the admin's address by default.
   */
  private static String accessibilityContact(String value) {
    if (value.startsWith("http://") || value.startsWith("https://")) {
      requireHttpUrl("SAMLA_ACCESSIBILITY_CONTACT", value);
      return value;
    }
    if (!value.matches("[^@\\s<>\"]+@[^@\\s<>\"]+") || value.length() > 254) {
      throw new ConfigException("SAMLA_ACCESSIBILITY_CONTACT must be an e-mail address or an https:// address of a form, was "
          + value);
    }
    return value;
  }

  /** {@code SAMLA_MANAGEMENT_PORT} (default 9464; {@code off} for none; 0 for any free port) on {@code SAMLA_MANAGEMENT_HOST}. */
  private static Management management(Map<String, String> env) {
    String host = value(env, "SAMLA_MANAGEMENT_HOST").orElse("127.0.0.1");
    Optional<String> raw = value(env, "SAMLA_MANAGEMENT_PORT");
    if (raw.isPresent() && raw.get().equalsIgnoreCase("off")) {
      return new Management(host, -1);
    }
    int port = intVar(env, "SAMLA_MANAGEMENT_PORT", 9464, 0, 65535);
    return new Management(host, port == 0 ? freePort("SAMLA_MANAGEMENT_PORT") : port);
  }

  /** A comma-separated list of addresses and networks (CIDR). */
  private static java.util.List<Network> networks(Map<String, String> env, String name) {
    java.util.List<Network> out = new java.util.ArrayList<>();
    for (String part : value(env, name).orElse("").split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Network n = Network.parse(part);
      if (n == null) {
        throw new ConfigException(name + " must list IP addresses or networks like 10.0.0.0/8, was " + part.strip());
      }
      out.add(n);
    }
    return java.util.List.copyOf(out);
  }

  /** True when Samla runs its own database and mail catcher: the developer's default. */
  public boolean devMailCatcher() {
    return smtp.isEmpty();
  }

  public boolean secureCookies() {
    return publicUrl.startsWith("https://");
  }

  /** Browsers are told to use HTTPS only (Strict-Transport-Security) when the public address is https. */
  public boolean strictTransportSecurity() {
    return publicUrl.startsWith("https://");
  }

  static DatabaseUrl parseDatabaseUrl(String raw) {
    try {
      URI uri = new URI(raw);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new ConfigException("DATABASE_URL must look like postgresql://user:pass@host:port/db");
      }
      if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
        throw new ConfigException("DATABASE_URL needs a host and a database name: postgresql://user:pass@host:port/db");
      }
      String user = "postgres";
      String password = "";
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = decode(parts[0]);
        password = parts.length > 1 ? decode(parts[1]) : "";
      }
      int port = uri.getPort() == -1 ? 5432 : uri.getPort();
      Map<String, String> parameters = new java.util.LinkedHashMap<>();
      if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
        for (String pair : uri.getRawQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          parameters.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
      }
      for (String name : parameters.keySet()) {
        if (!name.equals("sslmode") && !name.equals("sslrootcert")) {
          throw new ConfigException("DATABASE_URL has a parameter Samla does not know, " + name
              + ": it reads sslmode and sslrootcert (postgresql://user:pass@host:port/db?sslmode=verify-full&sslrootcert=/path/ca.pem)");
        }
      }
      String mode = parameters.getOrDefault("sslmode", "disable");
      Tls tls = java.util.Arrays.stream(Tls.values()).filter(t -> t.value.equals(mode)).findFirst()
          .orElseThrow(() -> new ConfigException("DATABASE_URL's sslmode=" + mode + " is not one Samla takes: "
              + (mode.equals("prefer") || mode.equals("allow")
                  ? mode + " falls back to an unencrypted connection without saying so; "
                  : "")
              + "say disable (no TLS), require (encrypted), verify-ca or verify-full (encrypted, the server's certificate checked against sslrootcert)"));
      Optional<Path> rootCert = Optional.ofNullable(parameters.get("sslrootcert")).filter(v -> !v.isBlank()).map(Path::of);
      if (tls.verifies() && rootCert.isEmpty()) {
        throw new ConfigException("DATABASE_URL's sslmode=" + tls.value + " needs sslrootcert=/path/to/ca.pem: the "
            + "certificate (PEM) of the authority that signed the database server's certificate");
      }
      if (!tls.verifies() && rootCert.isPresent()) {
        throw new ConfigException("DATABASE_URL names sslrootcert but sslmode=" + tls.value + " does not check the "
            + "server's certificate: say sslmode=verify-full (or verify-ca)");
      }
      if (rootCert.isPresent() && !java.nio.file.Files.isReadable(rootCert.get())) {
        throw new ConfigException("DATABASE_URL's sslrootcert cannot be read: " + rootCert.get().toAbsolutePath());
      }
      return new DatabaseUrl(uri.getHost(), port, uri.getPath().substring(1), user, password, tls,
          rootCert.map(Path::toAbsolutePath));
    } catch (URISyntaxException e) {
      throw new ConfigException("DATABASE_URL is not a valid URL: " + e.getReason());
    }
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  private static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new ConfigException(name + " must be between " + min + " and " + max + ", was " + v.get());
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, was " + v.get());
    }
  }

  private static boolean boolVar(Map<String, String> env, String name, boolean dflt) {
    Optional<String> v = value(env, name);
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get().toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name + " must be true or false, was " + v.get());
    };
  }

  private static void requireHttpUrl(String name, String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(name + " must be an http:// or https:// URL, was " + url);
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(name + " is not a valid URL: " + url);
    }
  }

  /** Port 0 means "any free port": chosen here, so that every URL Samla prints or mails is right. */
  private static int freePort(String variable) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new ConfigException(variable + "=0 but no free port: " + e.getMessage());
    }
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
