package se.hok.samla.web;

import io.netty.util.NetUtil;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import se.hok.samla.config.Network;

/**
 * Who is asking, as far as limits are concerned: the address of the connection. Only when that connection comes
 * from a configured trusted proxy ({@code SAMLA_TRUSTED_PROXIES}) is {@code X-Forwarded-For} believed, read from
 * the right (the entries our own proxies added) to the first address that is not one of them; anything a client
 * writes there itself is ignored, so nobody picks their own address. IPv6 clients are counted per /64, the block
 * one household or office is given, so a client cannot step around a limit by changing its last 64 bits.
 */
public final class ClientAddress {
  private static final String KEY = "samla.client";

  private final List<Network> trustedProxies;

  public ClientAddress(List<Network> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** Resolves the client's address once per request, for {@link #of}. */
  Handler<RoutingContext> handler() {
    return ctx -> {
      ctx.put(KEY, resolve(ctx));
      ctx.next();
    };
  }

  /** The key that limits count this client by ("192.0.2.7", "2001:db8:1:2::/64"). */
  public static String of(RoutingContext ctx) {
    String resolved = ctx.get(KEY);
    return resolved != null ? resolved : key(remote(ctx));
  }

  private String resolve(RoutingContext ctx) {
    return resolve(remote(ctx), ctx.request().headers().getAll("X-Forwarded-For"), trustedProxies);
  }

  /**
   * The client's key from the connection's address and the X-Forwarded-For headers (in the order received): the
   * headers count only while the hop that added them is a trusted proxy.
   */
  static String resolve(byte[] remote, List<String> forwardedFor, List<Network> trustedProxies) {
    if (remote == null || !trusted(remote, trustedProxies)) {
      return key(remote);
    }
    byte[] client = remote;
    outer:
    for (int h = forwardedFor.size() - 1; h >= 0; h--) {
      String[] hops = forwardedFor.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        byte[] hop = NetUtil.createByteArrayFromIpAddressString(hops[i].strip());
        if (hop == null) {
          break outer;  // not an address: the chain cannot be followed further
        }
        client = hop;
        if (!trusted(hop, trustedProxies)) {
          break outer;
        }
      }
    }
    return key(client);
  }

  private static boolean trusted(byte[] address, List<Network> trustedProxies) {
    for (Network n : trustedProxies) {
      if (n.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] remote(RoutingContext ctx) {
    SocketAddress address = ctx.request().connection() == null ? null : ctx.request().connection().remoteAddress();
    String host = address == null ? null : address.hostAddress();
    return host == null ? null : NetUtil.createByteArrayFromIpAddressString(host);
  }

  static String key(byte[] address) {
    if (address == null) {
      return "unknown";
    }
    if (address.length == 16 && isMappedIpv4(address)) {
      return NetUtil.bytesToIpAddress(Arrays.copyOfRange(address, 12, 16));
    }
    if (address.length == 16) {
      byte[] prefix = Arrays.copyOf(address, 16);
      Arrays.fill(prefix, 8, 16, (byte) 0);
      return NetUtil.bytesToIpAddress(prefix) + "/64";
    }
    return NetUtil.bytesToIpAddress(address);
  }

  private static boolean isMappedIpv4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }
}
