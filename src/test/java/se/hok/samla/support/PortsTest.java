package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The harness's ports really come from above the kernel's range, each reserved for this JVM: a silent fallback to
 * kernel-chosen ports would pass every other test and bring back the race between JVMs (support/Ports).
 */
class PortsTest {

  @Test
  void portsComeFromAboveTheKernelsRangeEachReservedForThisJvm() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    Assumptions.assumeTrue(Files.exists(range), "Linux only: elsewhere the kernel chooses, as before");
    int highest = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[1]);
    assertEquals(highest, Ports.HIGHEST_EPHEMERAL, "the range as the kernel has it");
    Assumptions.assumeTrue(65535 - highest >= 100, "room above the ephemeral range");
    int a = Ports.next();
    int b = Ports.next();
    assertTrue(a > highest && b > highest, a + ", " + b + " above " + highest);
    assertNotEquals(a, b, "never the same port twice");
    assertTrue(Ports.reserved(a) && Ports.reserved(b), "held against every other JVM until this one ends");
  }
}
