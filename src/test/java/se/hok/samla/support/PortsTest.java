package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The harness's ports really come from this fork's block: a fallback to kernel-chosen ports would pass every other
 * test and bring back the race between the forks (support/Ports), so it is checked here.
 */
class PortsTest {

  @Test
  void thisForkKnowsItsNumberAndTakesPortsAboveTheKernelsRange() throws Exception {
    String fork = System.getProperty("samla.test.fork");
    assertNotNull(fork, "surefire's argLine names the fork (pom.xml)");
    assertEquals(Integer.parseInt(fork), Ports.FORK, "the fork number as surefire gave it: " + fork);
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    Assumptions.assumeTrue(Files.exists(range), "Linux only: elsewhere the kernel chooses, as before");
    int highest = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[1]);
    assertEquals(highest, Ports.HIGHEST_EPHEMERAL);
    Assumptions.assumeTrue(65535 - highest >= 400, "room above the ephemeral range");
    int a = Ports.next();
    int b = Ports.next();
    assertTrue(a > highest && b > highest, a + ", " + b + " above " + highest);
    assertTrue(a != b, "never the same port twice");
  }
}
