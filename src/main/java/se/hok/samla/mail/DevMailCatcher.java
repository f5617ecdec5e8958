package se.hok.samla.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.ext.web.Router;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Templates;

/**
 * A real SMTP server on loopback (GreenMail) that keeps every message in memory, so a developer can run Samla
 * without a mail account and read what it sends at {@code /dev/mail}. Only started (and loaded) when no SMTP is
 * configured: see {@link MailCatcher#start()}.
 */
public final class DevMailCatcher implements MailCatcher {
  private final GreenMail greenMail;
  private final int port;

  private DevMailCatcher(GreenMail greenMail, int port) {
    this.greenMail = greenMail;
    this.port = port;
  }

  public static DevMailCatcher start() {
    int port = freePort();
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    return new DevMailCatcher(mail, port);
  }

  @Override
  public void mount(Router router, StaffAuth auth, Templates templates) {
    new DevMailPages(this, auth, templates).mount(router);
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  /** Received messages, newest first. */
  public List<MimeMessage> messages() {
    List<MimeMessage> list = Arrays.asList(greenMail.getReceivedMessages());
    java.util.Collections.reverse(list);
    return list;
  }

  @Override
  public void stop() {
    greenMail.stop();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port for the mail catcher", e);
    }
  }
}
