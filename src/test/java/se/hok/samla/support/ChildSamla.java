package se.hok.samla.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Samla in a JVM of its own, started the way {@code java -jar} starts it (Main, environment variables, its output in a
 * file), so that a test can kill it, or send it SIGTERM, and start it again. The classes are the build's own
 * ({@code target/classes} and the dependencies, from this JVM's class path).
 */
public final class ChildSamla implements AutoCloseable {
  public static final String ADMIN_EMAIL = "admin@child.example";
  /** The tests' one admin password: it passes the password rules, which a weak one would fail at start-up. */
  public static final String ADMIN_PASSWORD = TestApp.ADMIN_PASSWORD;

  public final Process process;
  public final int port;
  public final Path log;
  private final Optional<Path> dataDir;

  private ChildSamla(Process process, int port, Path log, Optional<Path> dataDir) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.dataDir = dataDir;
  }

  /** Starts Samla in the default mode (embedded PostgreSQL in {@code dataDir}) and waits until /health is UP. */
  public static ChildSamla startInDefaultMode(Path dataDir, String name) {
    return start(Map.of("SAMLA_DATA_DIR", dataDir.toString()), List.of(), Optional.of(dataDir), name);
  }

  /** Starts Samla with this environment (added to a clean one) and these JVM options, and waits until it is UP. */
  public static ChildSamla start(Map<String, String> env, List<String> jvmOptions, Optional<Path> dataDir, String name) {
    return start(env, jvmOptions, dataDir, name, classPath());
  }

  /** The build's classes and every dependency, tests' included: what a child runs unless a test says otherwise. */
  public static List<String> classPath() {
    return List.of(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .split(java.io.File.pathSeparator));
  }

  /** The same, with a class path of the test's (e.g. one without the jars a server build leaves out). */
  public static ChildSamla start(Map<String, String> env, List<String> jvmOptions, Optional<Path> dataDir, String name,
                                 List<String> classPath) {
    int port = Ports.next();
    try {
      Path log = Files.createTempFile("samla-child-" + name + "-", ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "se.hok.samla.Main"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("SAMLA_") || k.equals("DATABASE_URL"));
      Map<String, String> all = new HashMap<>(Map.of("SAMLA_HTTP_PORT", String.valueOf(port),
          "SAMLA_ADMIN_EMAIL", ADMIN_EMAIL, "SAMLA_ADMIN_PASSWORD", ADMIN_PASSWORD));
      // Hundreds of sign-ups come from 127.0.0.1 here, as in TestApp; the limits are tested on their own.
      TestApp.SIGN_UP_LIMITS.forEach(limit -> all.put(limit, "off"));
      // A port of this fork's for /metrics, as in TestApp: the default 9464 may be another Samla's on this machine.
      all.put("SAMLA_MANAGEMENT_PORT", String.valueOf(Ports.next()));
      all.putAll(env);
      environment.putAll(all);
      ChildSamla child = new ChildSamla(builder.start(), port, log, dataDir);
      child.awaitUp(Duration.ofSeconds(120));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private void awaitUp(Duration wait) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Samla exited with " + process.exitValue() + " while starting:\n" + output());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/health"))).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      pause(100);
    }
    process.destroyForcibly();
    dataDir.ifPresent(dir -> postgresProcesses(dir).forEach(ProcessHandle::destroyForcibly));
    throw new AssertionError("Samla was not UP within " + wait.toSeconds() + " s:\n" + output());
  }

  /** What the process printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** SIGTERM, as systemd, Docker and Kubernetes stop a service; returns the exit code. */
  public int terminate(Duration wait) {
    process.destroy();
    return awaitExit(wait);
  }

  public int awaitExit(Duration wait) {
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("Samla still running " + wait.toSeconds() + " s after SIGTERM:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGKILL of the JVM alone: what a crash or an impatient operator does. Its embedded PostgreSQL keeps running. */
  public void killJvm() {
    process.destroyForcibly();
    awaitDeath(process.toHandle());
  }

  /**
   * SIGKILL of the JVM and of every process of its embedded PostgreSQL at once, as an out-of-memory kill or a
   * container kill does.
   */
  public void killJvmAndDatabase() {
    List<ProcessHandle> all = new ArrayList<>(postgresProcesses());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    all.forEach(ChildSamla::awaitDeath);
  }

  /** The embedded PostgreSQL's processes: the postmaster of the data directory and all its children. */
  public List<ProcessHandle> postgresProcesses() {
    return postgresProcesses(dataDir.orElseThrow());
  }

  /** The processes of the embedded PostgreSQL of this data directory, whichever Samla started it. */
  public static List<ProcessHandle> postgresProcesses(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    List<ProcessHandle> out = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(pgData.toString())).orElse(false))
        .forEach(p -> {
          out.add(p);
          out.addAll(p.descendants().toList());
        });
    return out;
  }

  /** A JDBC connection to the embedded database as the application's role, with the password from the data directory. */
  public static Connection connectAsApplication(Path dataDir) throws Exception {
    Properties credentials = credentials(dataDir);
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort(dataDir) + "/postgres", "samla",
        credentials.getProperty("app"));
  }

  public static Properties credentials(Path dataDir) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(dataDir.resolve("postgres.credentials"))) {
      p.load(in);
    }
    return p;
  }

  /** The port of the running embedded PostgreSQL, from its postmaster.pid. */
  public static int postgresPort(Path dataDir) throws IOException {
    return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).trim());
  }

  private static void awaitDeath(ProcessHandle p) {
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("process " + p.pid() + " did not die", e);
    }
  }


  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Done with this process: if it still runs (a test failed half-way), it is killed with its PostgreSQL; a process that
   * has ended leaves its PostgreSQL as it is (a test may want the leftover). The output file goes.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      awaitDeath(process.toHandle());
      dataDir.ifPresent(dir -> postgresProcesses(dir).forEach(ProcessHandle::destroyForcibly));
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
