package se.hok.samla.config;

import io.netty.util.NetUtil;
import java.util.Arrays;

/** An IP address or a network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), parsed without DNS. */
public record Network(byte[] address, int prefix) {

  /** The network written as {@code a.b.c.d}, {@code a.b.c.d/n} or the IPv6 forms; null when it is not one. */
  public static Network parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    byte[] address = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? t : t.substring(0, slash));
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (prefix < 0 || prefix > bits) {
        return null;
      }
    }
    return new Network(address, prefix);
  }

  /** Whether the address (as bytes, 4 or 16) lies in this network. */
  public boolean contains(byte[] other) {
    if (other == null || other.length != address.length) {
      return false;
    }
    int full = prefix / 8;
    if (!Arrays.equals(address, 0, full, other, 0, full)) {
      return false;
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (other[full] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Network n && n.prefix == prefix && Arrays.equals(n.address, address);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(address) + prefix;
  }

  @Override
  public String toString() {
    return NetUtil.bytesToIpAddress(address) + "/" + prefix;
  }
}
