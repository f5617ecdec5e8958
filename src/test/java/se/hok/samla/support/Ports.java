package se.hok.samla.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ports for the servers the tests start (Samla, its management port, SMTP relays, PostgreSQL), each fork of the
 * test run drawing from a block of its own.
 *
 * <p>"Ask the kernel for a free port, close it, start the server on it later" is a race between the surefire forks:
 * for the seconds a Samla takes to migrate its database, the port is free, and the other JVM's kernel-chosen ports
 * (its own picks, Selenium's chromedriver, which binds what it can of 127.0.0.1 and ::1) can land on it. Two JVMs
 * then answered each other's requests (a 404 from the wrong server). Here the ports come from above the kernel's
 * ephemeral range, which neither the kernel (bind to port 0, outgoing connections) nor Selenium's port prober hands
 * out, and the forks' blocks do not overlap, so a port is never chosen twice in a run. A port still found taken (by
 * something outside the run) is skipped.
 */
public final class Ports {
  private static final int FORKS = 4;
  private static final int BLOCK;
  private static final int FIRST;
  /** The top of the kernel's ephemeral range, and this JVM's fork of the run (1 outside surefire). */
  static final int HIGHEST_EPHEMERAL;
  static final int FORK;
  private static int next;

  static {
    HIGHEST_EPHEMERAL = highestEphemeral();
    BLOCK = (65535 - HIGHEST_EPHEMERAL) / FORKS;
    FORK = Math.max(1, Integer.getInteger("samla.test.fork", 1));
    FIRST = HIGHEST_EPHEMERAL + 1 + ((FORK - 1) % FORKS) * BLOCK;
  }

  private Ports() {}

  /** A port no other fork of this run will be given, free on every loopback and wildcard address right now. */
  public static synchronized int next() {
    if (BLOCK < 100) {
      return kernelChosen();  // a kernel whose ephemeral range reaches the top: the old way, racy across forks
    }
    for (int tries = 0; tries < BLOCK; tries++) {
      int port = FIRST + next;
      next = (next + 1) % BLOCK;
      if (free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "–" + (FIRST + BLOCK - 1));
  }

  private static boolean free(int port) {
    for (InetAddress address : new InetAddress[] {null, InetAddress.getLoopbackAddress()}) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static int kernelChosen() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The top of Linux's ephemeral port range; elsewhere 65535, leaving no room above (the kernel chooses, as before). */
  private static int highestEphemeral() {
    try {
      // By lines: JDK 17's readAllBytes (and so readString) stops after the first byte of a /proc file.
      String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
      return Integer.parseInt(range[1]);
    } catch (IOException | RuntimeException e) {
      return 65535;
    }
  }
}
