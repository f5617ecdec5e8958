package se.hok.samla.support;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** E-mail as the app's mail catcher (a real SMTP server) received it, and the parts of a MIME message. */
public final class Mails {
  private Mails() {}

  /** Every message received so far for the address. */
  public static List<MimeMessage> to(TestApp app, String address) {
    return received(app, m -> recipient(m).contains(address));
  }

  /** Waits (up to 15 s) until at least {@code atLeast} messages to the address have arrived, and returns them. */
  public static List<MimeMessage> await(TestApp app, String address, int atLeast) {
    return await(app, m -> recipient(m).contains(address), atLeast, "to " + address);
  }

  /** Waits (up to 15 s) for the first message that matches. */
  public static MimeMessage awaitOne(TestApp app, Predicate<MimeMessage> which, String description) {
    return await(app, which, 1, description).get(0);
  }

  private static List<MimeMessage> await(TestApp app, Predicate<MimeMessage> which, int atLeast, String description) {
    for (int i = 0; i < 150; i++) {
      List<MimeMessage> found = received(app, which);
      if (found.size() >= atLeast) {
        return found;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no mail " + description);
  }

  private static List<MimeMessage> received(TestApp app, Predicate<MimeMessage> which) {
    List<MimeMessage> found = new ArrayList<>();
    for (MimeMessage m : ((se.hok.samla.mail.DevMailCatcher) app.running.mailCatcher().orElseThrow()).messages()) {
      if (which.test(m)) {
        found.add(m);
      }
    }
    return found;
  }

  public static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The message's leaf parts, depth first. */
  public static List<Part> leaves(Part p) {
    List<Part> out = new ArrayList<>();
    try {
      if (p.isMimeType("multipart/*")) {
        Multipart mp = (Multipart) p.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
          out.addAll(leaves(mp.getBodyPart(i)));
        }
      } else {
        out.add(p);
      }
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The first part of this type. */
  public static Optional<Part> find(List<Part> parts, String mime) {
    for (Part p : parts) {
      try {
        if (p.isMimeType(mime)) {
          return Optional.of(p);
        }
      } catch (MessagingException e) {
        throw new IllegalStateException(e);
      }
    }
    return Optional.empty();
  }

  public static Optional<Part> find(Part message, String mime) {
    return find(leaves(message), mime);
  }

  /** The text of the first part of this type (text/plain, text/html …). */
  public static String text(Part message, String mime) {
    Part p = find(message, mime).orElseThrow(() -> new AssertionError("no " + mime + " part"));
    try {
      return (String) p.getContent();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes of the first part of this type (image/png, application/pdf …). */
  public static byte[] bytes(Part message, String mime) {
    Part p = find(message, mime).orElseThrow(() -> new AssertionError("no " + mime + " part"));
    try {
      return p.getInputStream().readAllBytes();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
