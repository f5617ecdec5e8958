package se.hok.samla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owning feature, whose service holds its SQL ({@code architecture/table-owners.txt}, the one
 * list; the README points to it). This test finds, in every class of src/main, the tables its SQL writes – {@code
 * insert into X}, {@code update X}, {@code delete from X}, {@code merge into X} in its string literals and text blocks
 * – and fails when X is not owned by the class's feature and not one of the listed exceptions, when X is owned by
 * nobody (a new table: give it an owner), or when a listed exception no longer happens (take it out).
 *
 * <p>It reads the sources, not the compiled classes: a text block is one string there exactly as written, comments
 * are told apart from SQL, and the failure names the file. (The class files hold the same strings in their constant
 * pools, but the JDK 17 has no API to read those, and ArchUnit's model does not keep them.) SQL put together from
 * pieces at run time ({@code "update " + table}) is not seen; Samla has none.
 */
class TableOwnershipTest {
  private static final Path SOURCES = Path.of("src/main/java/se/hok/samla");
  private static final Pattern WRITE =
      Pattern.compile("\\b(insert\\s+into|update|delete\\s+from|merge\\s+into)\\s+([a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);
  /** Words after "update" that are not a table: "do update set", "for update of r", "for update skip locked", … */
  private static final Set<String> NOT_TABLES = Set.of("set", "of", "skip", "nowait");

  /** One write found: the class (feature.Class) and the table. */
  record Write(String writer, String table) {
    String feature() {
      return writer.substring(0, writer.indexOf('.'));
    }
  }

  /** The ownership list: table → feature; and the exceptions: "feature.Class" → tables ("*" for all). */
  record Owners(Map<String, String> owner, Map<String, Set<String>> exceptions) {}

  @Test
  void everyTableIsWrittenOnlyByItsOwner() throws IOException {
    Owners owners = owners(readResource("/architecture/table-owners.txt"));
    List<Write> writes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        writes.addAll(writes(writer(f), Files.readString(f)));
      }
    }
    assertTrue(writes.size() > 50, "the scan finds Samla's SQL (" + writes.size() + " writes)");
    assertEquals(List.of(), problems(owners, writes), "see architecture/table-owners.txt: reach another feature's"
        + " table through its owner's service");
  }

  /** The rule itself, on made-up sources: a new foreign write is found, an owner's write and a listed one are not. */
  @Test
  void aNewForeignWriteIsFound() {
    Owners owners = owners("""
        events: event
        followup: feedback
        except mail.MailStore writes event: a reason
        """);
    String source = """
        class FeedbackService {
          // update event is only said here, in a comment
          void f() { conn.query(\"""
              insert into event (title) values ('x')\""");
            conn.query("update feedback set rating = 1 where id = $1 for update skip locked"); }
        }
        """;
    List<Write> found = writes("followup.FeedbackService", source);
    assertEquals(List.of(new Write("followup.FeedbackService", "event"), new Write("followup.FeedbackService", "feedback")), found);
    List<String> problems = problems(owners, found);
    assertTrue(problems.contains("followup.FeedbackService writes event, owned by events"), problems.toString());
    assertFalse(problems.stream().anyMatch(p -> p.contains("feedback,")), "the owner's own write is fine: " + problems);
    assertEquals(List.of(), problems(owners, List.of(new Write("mail.MailStore", "event"))), "a listed exception");
    assertTrue(problems(owners, List.of(new Write("mail.MailStore", "event"), new Write("followup.FeedbackService", "ticket")))
        .contains("followup.FeedbackService writes ticket, which has no owner in the list"));
    assertEquals(List.of("exception mail.MailStore writes event no longer happens: take it out"),
        problems(owners, List.of()));
  }

  static List<String> problems(Owners owners, List<Write> writes) {
    Set<String> problems = new TreeSet<>();
    Set<String> usedExceptions = new HashSet<>();
    for (Write w : writes) {
      String owner = owners.owner().get(w.table());
      Set<String> allowed = owners.exceptions().getOrDefault(w.writer(), Set.of());
      if (owner == null) {
        problems.add(w.writer() + " writes " + w.table() + ", which has no owner in the list");
      } else if (!owner.equals(w.feature())) {
        if (allowed.contains(w.table()) || allowed.contains("*")) {
          usedExceptions.add(w.writer() + " " + (allowed.contains("*") ? "*" : w.table()));
        } else {
          problems.add(w.writer() + " writes " + w.table() + ", owned by " + owner);
        }
      }
    }
    owners.exceptions().forEach((writer, tables) -> tables.forEach(t -> {
      if (!usedExceptions.contains(writer + " " + t)) {
        problems.add("exception " + writer + " writes " + t + " no longer happens: take it out");
      }
    }));
    return new ArrayList<>(problems);
  }

  static Owners owners(String text) {
    Map<String, String> owner = new HashMap<>();
    Map<String, Set<String>> exceptions = new HashMap<>();
    Pattern exception = Pattern.compile("except (\\w+\\.\\w+) writes ([\\w*, ]+): \\S.*");
    Pattern owns = Pattern.compile("(\\w+): ([\\w, ]+)");
    for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
      Matcher m = exception.matcher(line);
      Matcher o = owns.matcher(line);
      if (m.matches()) {
        for (String t : m.group(2).split(",\\s*")) {
          exceptions.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(t.strip());
        }
      } else if (o.matches()) {
        for (String t : o.group(2).split(",\\s*")) {
          String before = owner.put(t.strip(), o.group(1));
          assertEquals(null, before, "table " + t + " has two owners");
        }
      } else {
        throw new AssertionError("table-owners.txt: not an owner line nor an exception with its reason: " + line);
      }
    }
    return new Owners(owner, exceptions);
  }

  /** "feature.Class" of a source file; Main (the root package) is its own. */
  private static String writer(Path file) {
    Path rel = SOURCES.relativize(file);
    String cls = rel.getFileName().toString().replace(".java", "");
    return (rel.getNameCount() == 1 ? "Main" : rel.getName(0).toString()) + "." + cls;
  }

  static List<Write> writes(String writer, String source) {
    List<Write> found = new ArrayList<>();
    for (String literal : literals(source)) {
      Matcher m = WRITE.matcher(literal);
      while (m.find()) {
        String table = m.group(2).toLowerCase();
        if (!NOT_TABLES.contains(table)) {
          found.add(new Write(writer, table));
        }
      }
    }
    return found;
  }

  /** The string literals and text blocks of a Java source, without comments and char literals. */
  static List<String> literals(String src) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = src.length();
    while (i < n) {
      if (src.startsWith("//", i)) {
        int end = src.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (src.startsWith("/*", i)) {
        i = src.indexOf("*/", i + 2) + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int end = src.indexOf("\"\"\"", i + 3);
        while (src.charAt(end - 1) == '\\') {
          end = src.indexOf("\"\"\"", end + 1);
        }
        out.add(src.substring(i + 3, end));
        i = end + 3;
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        char quote = src.charAt(i);
        int j = i + 1;
        while (src.charAt(j) != quote) {
          j += src.charAt(j) == '\\' ? 2 : 1;
        }
        if (quote == '"') {
          out.add(src.substring(i + 1, j));
        }
        i = j + 1;
      } else {
        i++;
      }
    }
    return out;
  }

  private static String readResource(String name) {
    try (InputStream in = TableOwnershipTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
