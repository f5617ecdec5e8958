package se.hok.samla.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.hok.samla.support.ChildSamla;

/**
 * What an operator sees who mistypes a setting: {@code java -jar samla.jar} stops at once with one line naming the
 * variable and a non-zero exit, before it starts a database or opens a port.
 */
class StartUpRefusalTest {

  @Test
  void aLogLevelLogbackDoesNotKnowStopsStartUp(@TempDir Path dataDir) throws Exception {
    Process samla = start(Map.of("SAMLA_LOG_LEVEL", "LOUD", "SAMLA_DATA_DIR", dataDir.toString()));
    assertTrue(samla.waitFor(60, TimeUnit.SECONDS), "stopped by itself");
    String said = new String(samla.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(2, samla.exitValue(), said);
    assertEquals("Samla: configuration error: SAMLA_LOG_LEVEL must be one of ERROR, WARN, INFO, DEBUG, TRACE, OFF,"
        + " was LOUD", said.lines().reduce((first, last) -> last).orElse(""));
    try (var files = Files.list(dataDir)) {
      assertFalse(files.findAny().isPresent(), "no database was started");
    }
  }

  private static Process start(Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(java.io.File.pathSeparator, ChildSamla.classPath()), "se.hok.samla.Main"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("SAMLA_") || name.equals("DATABASE_URL"));
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }
}
