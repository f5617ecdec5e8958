package se.hok.samla.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static Config config(Map<String, String> env, String... args) {
    return Config.fromEnvironment(env, args, se.hok.samla.staff.Passwords::adminProblem);
  }

  @Test
  void defaultsRunEverythingLocally() {
    Config c = config(Map.of());
    assertEquals(8080, c.httpPort());
    assertEquals("http://localhost:8080", c.publicUrl());
    assertTrue(c.database().isEmpty(), "embedded database by default");
    assertTrue(c.devMailCatcher(), "mail catcher by default");
    assertFalse(c.demo());
    assertFalse(c.secureCookies());
  }

  @Test
  void withoutAMailRelaySamlaListensOnThisMachineOnly() {
    assertEquals("127.0.0.1", config(Map.of()).httpHost(), "the mail catcher shows every e-mail: loopback only");
    assertEquals("0.0.0.0", config(Map.of("SAMLA_SMTP_HOST", "smtp.example")).httpHost(), "a server behind a relay");
    assertEquals("0.0.0.0", config(Map.of("SAMLA_HTTP_HOST", "0.0.0.0")).httpHost(), "opened on purpose");
    assertEquals("127.0.0.1", config(Map.of("SAMLA_SMTP_HOST", "smtp.example", "SAMLA_HTTP_HOST", "127.0.0.1")).httpHost());
    ConfigException bad = assertThrows(ConfigException.class, () -> config(Map.of("SAMLA_HTTP_HOST", "http://x/")));
    assertTrue(bad.getMessage().contains("SAMLA_HTTP_HOST"));
  }

  @Test
  void databaseUrlIsParsed() {
    Config.DatabaseUrl db = config(Map.of("DATABASE_URL", "postgresql://samla:p%40ss@db.example:6543/hok")).database().orElseThrow();
    assertEquals("db.example", db.host());
    assertEquals(6543, db.port());
    assertEquals("hok", db.database());
    assertEquals("samla", db.user());
    assertEquals("p@ss", db.password());
  }

  @Test
  void databaseUrlSaysHowTheConnectionIsEncrypted() throws Exception {
    Config.DatabaseUrl plain = config(Map.of("DATABASE_URL", "postgresql://samla:pw@db.example/hok")).database().orElseThrow();
    assertEquals(Config.Tls.DISABLE, plain.tls(), "no TLS unless asked, as before");
    assertEquals("jdbc:postgresql://db.example:5432/hok?sslmode=disable", plain.jdbcUrl(), "the migrations alike");
    Config.DatabaseUrl require = config(Map.of("DATABASE_URL", "postgresql://samla:pw@db.example/hok?sslmode=require"))
        .database().orElseThrow();
    assertEquals(Config.Tls.REQUIRE, require.tls());
    assertEquals("jdbc:postgresql://db.example:5432/hok?sslmode=require", require.jdbcUrl(), "the migrations too");
    java.nio.file.Path ca = java.nio.file.Files.createTempFile("ca", ".pem");
    try {
      Config.DatabaseUrl full = config(Map.of("DATABASE_URL", "postgresql://samla:pw@db.example/hok?sslmode=verify-full&sslrootcert="
          + java.net.URLEncoder.encode(ca.toString(), java.nio.charset.StandardCharsets.UTF_8))).database().orElseThrow();
      assertEquals(Config.Tls.VERIFY_FULL, full.tls());
      assertEquals(ca.toAbsolutePath(), full.rootCert().orElseThrow());
      assertTrue(full.jdbcUrl().startsWith("jdbc:postgresql://db.example:5432/hok?sslmode=verify-full&sslrootcert="), full.jdbcUrl());
      assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?sslmode=require&sslrootcert=" + ca));
    } finally {
      java.nio.file.Files.delete(ca);
    }
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?sslmode=prefer"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?sslmode=on"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?sslmode=verify-full"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL",
        "postgresql://s:p@db.example/hok?sslmode=verify-ca&sslrootcert=/nowhere/ca.pem"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?ssl=true"));
    ConfigException prefer = assertThrows(ConfigException.class,
        () -> config(Map.of("DATABASE_URL", "postgresql://s:p@db.example/hok?sslmode=prefer")));
    assertTrue(prefer.getMessage().contains("unencrypted"), prefer.getMessage());
  }

  @Test
  void smtpHostTurnsOffTheMailCatcher() {
    Config c = config(Map.of("SAMLA_SMTP_HOST", "smtp.example", "SAMLA_SMTP_PORT", "25", "SAMLA_SMTP_STARTTLS", "false"));
    assertFalse(c.devMailCatcher());
    assertEquals(25, c.smtp().orElseThrow().port());
    assertFalse(c.smtp().orElseThrow().startTls());
  }

  @Test
  void demoByFlagOrVariable() {
    assertTrue(config(Map.of(), "--demo").demo());
    assertTrue(config(Map.of("SAMLA_DEMO", "true")).demo());
    assertEquals(4 * Runtime.getRuntime().availableProcessors() + 2, config(Map.of()).dbPoolSize());
    assertEquals(20, config(Map.of("SAMLA_DB_POOL_SIZE", "20")).dbPoolSize());
  }

  @Test
  void httpsPublicUrlMakesCookiesSecure() {
    assertTrue(config(Map.of("SAMLA_PUBLIC_URL", "https://samla.hok.se/")).secureCookies());
    assertEquals("https://samla.hok.se", config(Map.of("SAMLA_PUBLIC_URL", "https://samla.hok.se/")).publicUrl());
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertMessageNames("SAMLA_HTTP_PORT", Map.of("SAMLA_HTTP_PORT", "eighty"));
    assertMessageNames("SAMLA_HTTP_PORT", Map.of("SAMLA_HTTP_PORT", "70000"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "mysql://x@y/z"));
    assertMessageNames("DATABASE_URL", Map.of("DATABASE_URL", "postgresql://host-only"));
    assertMessageNames("SAMLA_SMTP_PORT", Map.of("SAMLA_SMTP_HOST", "smtp.example", "SAMLA_SMTP_PORT", "x"));
    assertMessageNames("SAMLA_SMTP_STARTTLS", Map.of("SAMLA_SMTP_HOST", "smtp.example", "SAMLA_SMTP_STARTTLS", "maybe"));
    assertMessageNames("SAMLA_PUBLIC_URL", Map.of("SAMLA_PUBLIC_URL", "samla.example"));
    assertMessageNames("SAMLA_ADMIN_EMAIL", Map.of("SAMLA_ADMIN_EMAIL", "nobody"));
    assertMessageNames("SAMLA_ADMIN_PASSWORD", Map.of("SAMLA_ADMIN_PASSWORD", "short"));
    assertMessageNames("SAMLA_ADMIN_PASSWORD", Map.of("SAMLA_ADMIN_PASSWORD", "password1234"));
    assertMessageNames("SAMLA_ADMIN_PASSWORD", Map.of("SAMLA_ADMIN_PASSWORD", "admin-password-123"));
    assertMessageNames("SAMLA_DEMO", Map.of("SAMLA_DEMO", "kanske"));
    assertMessageNames("SAMLA_LIMIT_SIGNUPS_PER_CLIENT", Map.of("SAMLA_LIMIT_SIGNUPS_PER_CLIENT", "40 per minute"));
    assertMessageNames("SAMLA_LIMIT_SIGNIN_PER_ACCOUNT", Map.of("SAMLA_LIMIT_SIGNIN_PER_ACCOUNT", "0/1m"));
    assertMessageNames("SAMLA_ORGANISER_ALERT_MINUTES", Map.of("SAMLA_ORGANISER_ALERT_MINUTES", "en timme"));
    assertMessageNames("SAMLA_MANAGEMENT_PORT", Map.of("SAMLA_MANAGEMENT_PORT", "metrics"));
    assertMessageNames("SAMLA_TRUSTED_PROXIES", Map.of("SAMLA_TRUSTED_PROXIES", "proxy.example"));
    assertMessageNames("SAMLA_TRUSTED_PROXIES", Map.of("SAMLA_TRUSTED_PROXIES", "10.0.0.0/33"));
    assertMessageNames("SAMLA_DB_POOL_SIZE", Map.of("SAMLA_DB_POOL_SIZE", "0"));
    assertMessageNames("SAMLA_DB_POOL_SIZE", Map.of("SAMLA_DB_POOL_SIZE", "många"));
    ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(), "--dmeo"));
    assertTrue(e.getMessage().contains("--dmeo"));
  }

  @Test
  void limitsManagementPortAndProxiesHaveSafeDefaultsAndCanBeSet() {
    Config c = config(Map.of());
    assertEquals("5/1m,20/1h,50/1d", c.limits().signInPerAccount().toString());
    assertEquals("40/1m,300/1h,1000/1d", c.limits().signUpsPerClient().toString());
    assertEquals(java.time.Duration.ofHours(1), c.limits().organiserAlertInterval());
    assertEquals(new Config.Management("127.0.0.1", 9464), c.management(), "metrics on loopback, apart from the public port");
    assertTrue(c.trustedProxies().isEmpty(), "X-Forwarded-For is believed from nobody by default");
    assertFalse(c.strictTransportSecurity());

    Config set = config(Map.of("SAMLA_LIMIT_SIGNUPS_PER_CLIENT", "100/m, 2000/1d", "SAMLA_LIMIT_SIGNIN_PER_CLIENT", "off",
        "SAMLA_MANAGEMENT_PORT", "off", "SAMLA_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1, fd00::/8",
        "SAMLA_PUBLIC_URL", "https://samla.hok.se", "SAMLA_ADMIN_PASSWORD", "grus-och-gran-vid-havet-9"));
    assertEquals("100/1m,2000/1d", set.limits().signUpsPerClient().toString());
    assertTrue(set.limits().signInPerClient().off());
    assertFalse(set.management().enabled());
    assertEquals(3, set.trustedProxies().size());
    assertTrue(set.trustedProxies().get(0).contains(new byte[] {10, 1, 2, 3}));
    assertFalse(set.trustedProxies().get(0).contains(new byte[] {11, 1, 2, 3}));
    assertTrue(set.strictTransportSecurity());
    assertTrue(config(Map.of("SAMLA_MANAGEMENT_PORT", "0")).management().port() > 0, "0: any free port");
  }

  @Test
  void theAccessibilityStatementNamesAnAddressOrAFormTheAdminChose() {
    assertEquals("admin@samla.localhost", config(Map.of()).accessibilityContact(), "the admin's address by default");
    assertEquals("hok@region.example", config(Map.of("SAMLA_ADMIN_EMAIL", "hok@region.example")).accessibilityContact());
    assertEquals("tillganglighet@hok.example",
        config(Map.of("SAMLA_ACCESSIBILITY_CONTACT", "tillganglighet@hok.example")).accessibilityContact());
    assertEquals("https://hok.example/synpunkter",
        config(Map.of("SAMLA_ACCESSIBILITY_CONTACT", "https://hok.example/synpunkter")).accessibilityContact());
    assertMessageNames("SAMLA_ACCESSIBILITY_CONTACT", Map.of("SAMLA_ACCESSIBILITY_CONTACT", "ring oss"));
    assertMessageNames("SAMLA_ACCESSIBILITY_CONTACT", Map.of("SAMLA_ACCESSIBILITY_CONTACT", "javascript:alert(1)"));
  }

  private static void assertMessageNames(String variable, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> config(env));
    assertTrue(e.getMessage().contains(variable), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  /** The README's promise: an invalid value stops start-up, naming the variable; none is taken silently. */
  @Test
  void anInvalidSettingIsRefusedWithItsName() {
    Map<String, String> refused = Map.of(
        "SAMLA_LOG_LEVEL", "LOUD",
        "SAMLA_MAIL_FROM", "not an address",
        "SAMLA_SMTP_PORT", "smtp",
        "SAMLA_SMTP_STARTTLS", "maybe",
        "SAMLA_HTTP_PORT", "eighty",
        "SAMLA_RETENTION_DAYS", "-1",
        "SAMLA_SEND_MAIL", "sometimes",
        "SAMLA_PUBLIC_URL", "samla.example",
        "SAMLA_ADMIN_EMAIL", "admin",
        "DATABASE_URL", "mysql://db/samla");
    refused.forEach((name, value) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(name, value)), name + "=" + value);
      assertTrue(e.getMessage().startsWith(name), name + "=" + value + " named in: " + e.getMessage());
    });
    ConfigException mailFrom = assertThrows(ConfigException.class,
        () -> config(Map.of("SAMLA_MAIL_FROM", "Samla <noreply@samla.example")));
    assertTrue(mailFrom.getMessage().contains("Name <address>"), mailFrom.getMessage());
  }

  @Test
  void theSenderIsAnAddressAloneOrWithAName() {
    assertEquals("Samla HÖK <noreply@samla.localhost>", config(Map.of()).mailFrom());
    assertEquals("samla@hok.example", config(Map.of("SAMLA_MAIL_FROM", "samla@hok.example")).mailFrom());
    assertEquals("HÖK Samla <samla@hok.example>", config(Map.of("SAMLA_MAIL_FROM", "HÖK Samla <samla@hok.example>")).mailFrom());
    assertThrows(ConfigException.class, () -> config(Map.of("SAMLA_MAIL_FROM", "<>")));
    assertThrows(ConfigException.class, () -> config(Map.of("SAMLA_MAIL_FROM", "a@hok.example, b@hok.example")));
  }

  @Test
  void theLogLevelIsOneLogbackKnows() {
    for (String level : java.util.List.of("info", "DEBUG", "warn", "Error", "trace", "off")) {
      config(Map.of("SAMLA_LOG_LEVEL", level));
    }
    ConfigException loud = assertThrows(ConfigException.class, () -> config(Map.of("SAMLA_LOG_LEVEL", "LOUD")));
    assertEquals("SAMLA_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF, was LOUD", loud.getMessage());
  }

  @Test
  void relaySettingsWithoutTheRelaysHostAreRefused() {
    for (String name : java.util.List.of("SAMLA_SMTP_PORT", "SAMLA_SMTP_USERNAME", "SAMLA_SMTP_PASSWORD", "SAMLA_SMTP_STARTTLS")) {
      String value = name.endsWith("PORT") ? "25" : name.endsWith("STARTTLS") ? "false" : "samla";
      ConfigException e = assertThrows(ConfigException.class, () -> config(Map.of(name, value)), name);
      assertEquals(name + " is set but SAMLA_SMTP_HOST is not: set the relay's host too, or leave " + name
          + " out to use the mail catcher", e.getMessage());
    }
    ConfigException port = assertThrows(ConfigException.class, () -> config(Map.of("SAMLA_SMTP_PORT", "smtp")));
    assertEquals("SAMLA_SMTP_PORT must be a whole number, was smtp", port.getMessage());
  }
}
