package se.hok.samla;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between the feature packages (events, registration, mail, checkin, followup, staff, privacy,
 * tickets, web, config …), pinned.
 *
 * <p>Package cycles: the ones there were when this test came are listed, one per line, in
 * {@code src/test/resources/architecture/package-cycles.txt}. A new one fails the build. One that is broken is
 * named in the output: take its line out of the file (so that it cannot come back unnoticed).
 */
class ArchitectureTest {
  private static final Pattern CYCLE = Pattern.compile("Cycle detected: ((?:\\w+ -> \\s*)+\\w+)");

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("se.hok.samla");
  }

  @Test
  void noNewCycleBetweenPackages() throws IOException {
    Set<String> found = new TreeSet<>();
    for (String detail : slices().matching("se.hok.samla.(*)..").namingSlices("$1").should().beFreeOfCycles()
        .evaluate(classes).getFailureReport().getDetails()) {
      Matcher m = CYCLE.matcher(detail);
      if (m.find()) {
        found.add(canonical(m.group(1)));
      }
    }
    Set<String> known = known();
    Set<String> gone = new TreeSet<>(known);
    gone.removeAll(found);
    if (!gone.isEmpty()) {
      System.out.println("[ArchitectureTest] cycles broken, take them out of architecture/package-cycles.txt: " + gone);
    }
    Set<String> added = new TreeSet<>(found);
    added.removeAll(known);
    assertEquals(Set.of(), added, "new package cycles: make the lower side reach the higher one through an interface"
        + " it owns, which Main fills in (as staff/StaffMailQueue, events/EventMails, registration/TicketArtifacts)");
  }

  /** The demo data is loaded by Main alone; no feature needs it. */
  @Test
  void nothingButMainUsesTheDemo() {
    noClasses().that().resideOutsideOfPackage("se.hok.samla.demo..").and().doNotHaveFullyQualifiedName("se.hok.samla.Main")
        .should().dependOnClassesThat().resideInAPackage("se.hok.samla.demo..")
        .check(classes);
  }

  /** A cycle as one line, starting from its alphabetically first package: "a -> b -> c -> a". */
  static String canonical(String cycle) {
    List<String> nodes = new ArrayList<>(Arrays.asList(cycle.replaceAll("\\s+", "").split("->")));
    nodes.remove(nodes.size() - 1);  // the first again
    int first = nodes.indexOf(nodes.stream().min(String::compareTo).orElseThrow());
    List<String> rotated = new ArrayList<>(nodes.subList(first, nodes.size()));
    rotated.addAll(nodes.subList(0, first));
    rotated.add(rotated.get(0));
    return String.join(" -> ", rotated);
  }

  private static Set<String> known() throws IOException {
    try (InputStream in = ArchitectureTest.class.getResourceAsStream("/architecture/package-cycles.txt")) {
      Set<String> lines = new TreeSet<>();
      if (in != null) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(lines::add);
      }
      return lines;
    }
  }
}
