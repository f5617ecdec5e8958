package se.hok.samla.mail;

import io.vertx.ext.web.Router;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Templates;

/**
 * The default mode's local mail catcher as the rest of Samla sees it: where to send, how to stop, and its pages at
 * {@code /dev/mail} (admins only). Its implementation, {@link DevMailCatcher}, runs SubEthaSMTP, a small SMTP server;
 * it is loaded by name in {@link #start()}, the one place that runs only when no SMTP relay is configured, so an
 * installation with a real relay never loads SubEthaSMTP or the catcher's classes.
 */
public interface MailCatcher {
  String host();

  int port();

  void stop();

  /** {@code /dev/mail}: what the catcher received, for admins only (each e-mail holds personal manage links). */
  void mount(Router router, StaffAuth auth, Templates templates);

  /**
   * Whether this build has the catcher: a server build ({@code -Pserver}) leaves SubEthaSMTP and the mail parser out of the jar, and then
   * needs {@code SAMLA_SMTP_HOST}. Looked up as a resource, so nothing of it is loaded to find out.
   */
  private static boolean inThisBuild() {
    return MailCatcher.class.getClassLoader().getResource("org/subethamail/smtp/server/SMTPServer.class") != null;
  }

  /** Why this build cannot run the catcher, if it cannot. */
  static java.util.Optional<String> unavailable() {
    return inThisBuild() ? java.util.Optional.empty() : java.util.Optional.of("This Samla has no local mail catcher (a "
        + "server build, -Pserver): set SAMLA_SMTP_HOST to your SMTP relay");
  }

  /** Starts the catcher on a free loopback port. */
  static MailCatcher start() {
    try {
      return (MailCatcher) Class.forName("se.hok.samla.mail.DevMailCatcher").getMethod("start").invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("The mail catcher did not start", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("The mail catcher is missing from this build", e);
    }
  }
}
