package se.hok.samla.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start (Samla, its management port, SMTP relays, PostgreSQL, chromedriver), never
 * given to two JVMs of the machine at once: the two surefire forks of a run, or two test runs side by side (another
 * worktree).
 *
 * <p>"Ask the kernel for a free port, close it, start the server on it later" is a race between JVMs: for the seconds
 * a Samla takes to migrate its database the port is free, and another JVM's kernel-chosen ports (its own picks,
 * Selenium's prober for chromedriver, which binds what it can of 127.0.0.1 and ::1) can land on it; two forks then
 * answered each other's requests (a 404 from the wrong server). Here the ports come from above the kernel's ephemeral
 * range, which neither the kernel (bind to port 0, outgoing connections) nor Selenium's prober hands out, and each is
 * reserved by an exclusive lock on a file of its own in the temporary directory, held until the JVM ends, so no other
 * JVM takes it meanwhile. A port still found taken (by something outside the tests) is skipped.
 */
public final class Ports {
  /** The top of the kernel's ephemeral range. */
  static final int HIGHEST_EPHEMERAL = highestEphemeral();
  private static final int SPAN = 65535 - HIGHEST_EPHEMERAL;
  private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "samla-test-ports");
  /** The reservations by port, kept for the JVM's life (a lock ends when its channel is closed or collected). */
  private static final Map<Integer, FileLock> HELD = new HashMap<>();
  /** Where this JVM starts in the range: JVMs started together mostly try different ports first. */
  private static int next = SPAN > 0 ? ThreadLocalRandom.current().nextInt(SPAN) : 0;

  private Ports() {}

  /** A port no other JVM of this machine will be given while this one runs, free on every loopback and wildcard address now. */
  public static synchronized int next() {
    if (SPAN < 100) {
      return kernelChosen();  // a kernel whose ephemeral range reaches the top: the old way, racy across JVMs
    }
    for (int tries = 0; tries < SPAN; tries++) {
      int port = HIGHEST_EPHEMERAL + 1 + next % SPAN;
      next++;
      if (reserve(port) && free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port above " + HIGHEST_EPHEMERAL);
  }

  /** Whether this JVM holds the reservation of the port (for PortsTest). */
  static synchronized boolean reserved(int port) {
    FileLock lock = HELD.get(port);
    return lock != null && lock.isValid();
  }

  private static boolean reserve(int port) {
    Path file = LOCKS.resolve(port + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(LOCKS);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return false;  // another JVM has it
      }
      HELD.put(port, lock);
      return true;
    } catch (IOException | OverlappingFileLockException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // nothing held
      }
      return false;
    }
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
