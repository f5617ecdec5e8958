package se.hok.samla.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.hok.samla.support.TestApp.await;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.hok.samla.config.Config;
import se.hok.samla.support.Ports;
import se.hok.samla.support.TestApp;

/**
 * DATABASE_URL's sslmode and sslrootcert, against a real PostgreSQL that takes TLS connections only (pg_hba:
 * {@code hostssl}), with a certificate for "localhost" signed by a test authority. Both ways Samla connects are
 * checked: the pool (Vert.x, requests and live counts) and JDBC (Flyway's migrations at start).
 */
class DatabaseTlsTest {
  static final String DATABASE = "samla_tls";
  static EmbeddedPostgres server;
  static Path dir;
  static Path ca;
  static Path otherCa;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("samla-tls");
    KeyPair caKeys = keys();
    KeyPair otherKeys = keys();
    KeyPair serverKeys = keys();
    X509Certificate caCert = certificate("CN=Samla test CA", caKeys.getPublic(), "CN=Samla test CA", caKeys.getPrivate(), true);
    X509Certificate otherCert = certificate("CN=Another CA", otherKeys.getPublic(), "CN=Another CA", otherKeys.getPrivate(), true);
    // For the name "localhost" only: reached as 127.0.0.1, it is a certificate for another host.
    X509Certificate serverCert = certificate("CN=localhost", serverKeys.getPublic(), "CN=Samla test CA", caKeys.getPrivate(),
        false, new GeneralName(GeneralName.dNSName, "localhost"));
    ca = pem(dir.resolve("ca.pem"), caCert);
    otherCa = pem(dir.resolve("other-ca.pem"), otherCert);
    Path cert = pem(dir.resolve("server.crt"), serverCert);
    // PKCS #8: the key with its curve named (the short SEC 1 form BC writes for a JCA key leaves it out, and OpenSSL then
    // cannot read it)
    Path key = pem(dir.resolve("server.key"), new JcaPKCS8Generator(serverKeys.getPrivate(), null).generate());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path data = dir.resolve("data");
    server = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).setPort(Ports.next())
        .setServerConfig("ssl", "on").setServerConfig("ssl_cert_file", cert.toString())
        .setServerConfig("ssl_key_file", key.toString()).start();
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create database " + DATABASE);
      // From here on, over the network, TLS or nothing.
      Files.writeString(data.resolve("pg_hba.conf"), """
          local all all trust
          hostssl all all 127.0.0.1/32 trust
          hostssl all all ::1/128 trust
          """);
      s.execute("select pg_reload_conf()");
    }
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (server != null) {
      server.close();
    }
  }

  static String url(String host, String sslmode, Path rootCert) {
    return "postgresql://postgres@" + host + ":" + server.getPort() + "/" + DATABASE
        + (sslmode == null ? "" : "?sslmode=" + sslmode)
        + (rootCert == null ? "" : "&sslrootcert=" + URLEncoder.encode(rootCert.toString(), StandardCharsets.UTF_8));
  }

  static Config.DatabaseUrl parsed(String url) {
    return Config.fromEnvironment(Map.of("DATABASE_URL", url), new String[0], (pw, email) -> java.util.Optional.empty())
        .database().orElseThrow();
  }

  /** Whether the pool's way (Vert.x, as Database sets it up) connects, and whether the connection is encrypted. */
  static boolean poolConnects(Config.DatabaseUrl url) {
    PgConnectOptions options = new PgConnectOptions().setHost(url.host()).setPort(url.port()).setDatabase(url.database())
        .setUser(url.user()).setPassword(url.password());
    Database.tls(options, url);
    try {
      PgConnection conn = await(PgConnection.connect(vertx, options));
      try {
        assertTrue(conn.isSSL(), "encrypted");
      } finally {
        await(conn.close());
      }
      return true;
    } catch (IllegalStateException refused) {
      return false;
    }
  }

  /** Whether the migrations' way (JDBC with the URL Database gives Flyway) connects. */
  static boolean jdbcConnects(Config.DatabaseUrl url) {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      return c.isValid(5);
    } catch (java.sql.SQLException refused) {
      return false;
    }
  }

  @Test
  void samlaRunsOnADatabaseThatTakesOnlyTlsCheckingItsCertificateAndName() throws Exception {
    try (TestApp app = TestApp.startOn(url("localhost", "verify-full", ca), Map.of())) {
      assertEquals(200, await(app.client.get("/").send()).statusCode(), "the calendar, read from the database");
      try (Connection c = DriverManager.getConnection(parsed(url("localhost", "verify-full", ca)).jdbcUrl(), "postgres", "");
           Statement s = c.createStatement();
           ResultSet r = s.executeQuery("select count(*), bool_and(l.ssl) from pg_stat_activity a join pg_stat_ssl l using (pid)"
               + " where a.datname = '" + DATABASE + "' and a.pid <> pg_backend_pid()")) {
        r.next();
        assertTrue(r.getLong(1) > 0, "Samla's pool is connected");
        assertTrue(r.getBoolean(2), "every connection of Samla's is encrypted");
      }
    }
  }

  @Test
  void verifyFullRefusesACertificateOfAnotherAuthorityOrForAnotherHost() {
    Config.DatabaseUrl strangersCa = parsed(url("localhost", "verify-full", otherCa));
    assertEquals(false, poolConnects(strangersCa), "pool: a certificate the given authority did not sign");
    assertEquals(false, jdbcConnects(strangersCa), "migrations: the same");
    Config.DatabaseUrl otherHost = parsed(url("127.0.0.1", "verify-full", ca));
    assertEquals(false, poolConnects(otherHost), "pool: the certificate is for localhost, not 127.0.0.1");
    assertEquals(false, jdbcConnects(otherHost), "migrations: the same");
    IllegalStateException start = assertThrows(IllegalStateException.class,
        () -> TestApp.startOn(url("localhost", "verify-full", otherCa), Map.of()).close());
    assertTrue(start.getMessage().contains("did not start"), start.getMessage());
  }

  @Test
  void verifyCaChecksTheAuthorityNotTheName() {
    Config.DatabaseUrl byAddress = parsed(url("127.0.0.1", "verify-ca", ca));
    assertTrue(poolConnects(byAddress), "pool");
    assertTrue(jdbcConnects(byAddress), "migrations");
    Config.DatabaseUrl strangersCa = parsed(url("127.0.0.1", "verify-ca", otherCa));
    assertEquals(false, poolConnects(strangersCa), "pool: another authority");
    assertEquals(false, jdbcConnects(strangersCa), "migrations: another authority");
  }

  @Test
  void requireEncryptsWithoutCheckingAndWithoutTlsThisServerRefuses() {
    Config.DatabaseUrl require = parsed(url("127.0.0.1", "require", null));
    assertTrue(poolConnects(require), "pool");
    assertTrue(jdbcConnects(require), "migrations");
    Config.DatabaseUrl plain = parsed(url("127.0.0.1", null, null));
    assertEquals(false, poolConnects(plain), "the server takes no unencrypted connection: the tests above mean something");
    assertEquals(false, jdbcConnects(plain), "the same over JDBC");
  }

  static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean authority,
                                     GeneralName... names) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(now.toEpochMilli() + subject.hashCode()), Date.from(now.minus(1, ChronoUnit.DAYS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
    if (authority) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }
    if (names.length > 0) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  static Path pem(Path file, Object object) throws Exception {
    try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file))) {
      writer.writeObject(object);
    }
    return file;
  }
}
