package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every text exists in Swedish and in English, and every text a template or the code names by a literal key exists:
 * a misspelt key would otherwise show as a blank (or as the key itself) on a page or in an e-mail.
 */
class TextsTest {
  private static final Path BUNDLES = Path.of("src/main/resources/i18n");
  private static final Path TEMPLATES = Path.of("src/main/resources/templates");
  private static final Path JAVA = Path.of("src/main/java");
  /** {@code t['key']}, {@code t["key"]} and {@code t.key} in a template. */
  private static final Pattern TEMPLATE_KEY =
      Pattern.compile("\\bt\\[\\s*['\"]([A-Za-z0-9_.-]+)['\"]\\s*\\]|\\bt\\.([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)");

  @Test
  void everyTextIsInBothLanguages() throws IOException {
    Set<String> missing = new TreeSet<>();
    try (Stream<Path> files = Files.list(BUNDLES)) {
      for (Path sv : files.filter(p -> p.getFileName().toString().endsWith("_sv.properties")).toList()) {
        Path en = sv.resolveSibling(sv.getFileName().toString().replace("_sv.", "_en."));
        Set<String> svKeys = load(sv).stringPropertyNames();
        Set<String> enKeys = Files.exists(en) ? load(en).stringPropertyNames() : Set.of();
        svKeys.stream().filter(k -> !enKeys.contains(k)).forEach(k -> missing.add(en.getFileName() + " lacks " + k));
        enKeys.stream().filter(k -> !svKeys.contains(k)).forEach(k -> missing.add(sv.getFileName() + " lacks " + k));
      }
    }
    assertEquals(Set.of(), missing);
  }

  @Test
  void everyKeyATemplateUsesExists() throws IOException {
    Set<String> known = Messages.all(Lang.SV).keySet();
    Set<String> missing = new TreeSet<>();
    try (Stream<Path> files = Files.walk(TEMPLATES)) {
      for (Path template : files.filter(p -> p.toString().endsWith(".peb")).toList()) {
        Matcher m = TEMPLATE_KEY.matcher(Files.readString(template));
        while (m.find()) {
          String key = m.group(1) != null ? m.group(1) : m.group(2);
          if (!known.contains(key)) {
            missing.add(TEMPLATES.relativize(template) + ": " + key);
          }
        }
      }
    }
    assertEquals(Set.of(), missing);
  }

  static Properties load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
