package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.util.NetUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import se.hok.samla.config.Network;

/** Who the limits count: the connection, unless it is a trusted proxy; IPv6 by /64. */
class ClientAddressTest {
  static final List<Network> PROXIES = List.of(Network.parse("10.0.0.0/8"));

  static String client(String remote, String... forwardedFor) {
    return ClientAddress.resolve(NetUtil.createByteArrayFromIpAddressString(remote), List.of(forwardedFor), PROXIES);
  }

  @Test
  void forwardedForIsBelievedOnlyFromATrustedProxy() {
    assertEquals("198.51.100.7", client("198.51.100.7", "203.0.113.1"), "a client cannot name its own address");
    assertEquals("203.0.113.1", client("10.1.1.1", "203.0.113.1"));
    assertEquals("203.0.113.1", client("10.1.1.1", "6.6.6.6, 203.0.113.1, 10.2.2.2"),
        "read from the right, up to the first hop that is not our proxy; what the client wrote is ignored");
    assertEquals("203.0.113.1", client("10.1.1.1", "6.6.6.6", "203.0.113.1"), "several headers are one list");
    assertEquals("10.1.1.1", client("10.1.1.1"), "no header: the proxy itself");
    assertEquals("10.2.2.2", client("10.1.1.1", "nonsense, 10.2.2.2"), "the chain ends at what is not an address");
  }

  @Test
  void ipv6ClientsAreCountedPerSlash64() {
    assertEquals(client("2001:db8:1:2::1"), client("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    assertEquals("2001:db8:1:2::/64", client("2001:db8:1:2::1"));
    assertEquals("192.0.2.9", client("::ffff:192.0.2.9"), "an IPv4 client on a dual-stack socket");
  }
}
