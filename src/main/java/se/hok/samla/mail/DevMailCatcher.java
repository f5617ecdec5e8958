package se.hok.samla.mail;

import io.vertx.ext.web.Router;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.subethamail.smtp.server.SMTPServer;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Templates;

/**
 * A real SMTP server on loopback (SubEthaSMTP) that keeps the newest {@value #KEPT} messages in memory, so a
 * developer can run Samla without a mail account and read what it sends at {@code /dev/mail}. Only started (and
 * loaded) when no SMTP is configured: see {@link MailCatcher#start()}.
 *
 * <p>A message is kept as it arrived and parsed only when someone reads it: a rush of sign-ups in the default mode
 * sends thousands of tickets, and neither parsing each one nor keeping all of them may slow the sign-ups down (with
 * GreenMail, which parses every message and makes a mailbox per recipient, 180,000 tickets made the rush collapse).
 */
public final class DevMailCatcher implements MailCatcher {
  /** How many messages are kept: the older ones are dropped as new ones come. */
  static final int KEPT = 2_000;
  /** The largest message taken (a ticket with its PDF is about 25 kB). */
  private static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
  /** Headers as sent: UTF-8 (SMTPUTF8), so that an address such as "själv@…" reads as it was written. */
  private static final Session PARSING = Session.getInstance(parsing());

  private static Properties parsing() {
    Properties p = new Properties();
    p.setProperty("mail.mime.allowutf8", "true");
    return p;
  }

  private final SMTPServer server;
  private final int kept;
  /** Oldest first. */
  private final ArrayDeque<Received> received = new ArrayDeque<>();

  /** One message as it came, parsed the first time it is read. */
  private static final class Received {
    private final byte[] raw;
    private MimeMessage parsed;

    Received(byte[] raw) {
      this.raw = raw;
    }

    synchronized MimeMessage message() {
      if (parsed == null) {
        try {
          parsed = new MimeMessage(PARSING, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
          throw new IllegalStateException("The mail catcher cannot read a message it received", e);
        }
      }
      return parsed;
    }
  }

  DevMailCatcher(int kept) {
    this.kept = kept;
    this.server = SMTPServer.port(0)
        .bindAddress(InetAddress.getLoopbackAddress())
        .hostName("samla-mail-catcher.localhost")
        .maxMessageSize(MAX_MESSAGE_BYTES)
        .messageHandler((context, from, to, data) -> keep(data))
        .build();
  }

  public static DevMailCatcher start() {
    return new DevMailCatcher(KEPT).started();
  }

  DevMailCatcher started() {
    server.start();
    return this;
  }

  private void keep(byte[] data) {
    synchronized (received) {
      received.addLast(new Received(data));
      while (received.size() > kept) {
        received.removeFirst();
      }
    }
  }

  @Override
  public void mount(Router router, StaffAuth auth, Templates templates) {
    new DevMailPages(this, auth, templates).mount(router);
  }

  @Override
  public String host() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  @Override
  public int port() {
    return server.getPortAllocated();
  }

  /** The newest received messages (at most {@value #KEPT}), newest first. */
  public List<MimeMessage> messages() {
    List<Received> newestFirst;
    synchronized (received) {
      newestFirst = new ArrayList<>(received);
    }
    java.util.Collections.reverse(newestFirst);
    return newestFirst.stream().map(Received::message).toList();
  }

  @Override
  public void stop() {
    server.stop();
  }
}
