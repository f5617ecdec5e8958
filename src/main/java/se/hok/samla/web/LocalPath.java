package se.hok.samla.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where to go after signing in ({@code ?next=}): a path on this site, or nothing. Parsed as a URI; anything with a
 * scheme, a host, a leading {@code //}, a backslash, white space or a control character is refused, because browsers
 * drop tabs and line breaks from addresses ({@code /\t/evil.example} becomes {@code //evil.example}, another site)
 * and read a backslash as a slash. What is left is also safe as a {@code Location} header value.
 */
public final class LocalPath {
  private static final int MAX_LENGTH = 2000;

  private LocalPath() {}

  public static Optional<String> of(String next) {
    if (next == null || next.isEmpty() || next.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < next.length(); i++) {
      char c = next.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '\\' || Character.isISOControl(c) || Character.isWhitespace(c)
          || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT) {
        return Optional.empty();
      }
    }
    if (next.charAt(0) != '/' || next.startsWith("//")) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(next);
      if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/") || uri.getRawPath().startsWith("//")) {
        return Optional.empty();
      }
      // Written back as ASCII: a header value never carries anything a browser could read differently.
      return Optional.of(uri.toASCIIString());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** The path, or {@code fallback} when it is not a local path. */
  public static String orElse(String next, String fallback) {
    return of(next).orElse(fallback);
  }
}
