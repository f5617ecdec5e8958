package se.hok.samla.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import se.hok.samla.web.Lang;

/**
 * What e-mails to staff say about the person, looked up by the staff feature when the mail is written (the mail
 * feature renders them and does not read staff's tables). {@link StaffMails} is the one implementation.
 */
public interface StaffNotices {
  /** The person and link for an outbox row of a staff kind ({@link StaffMails}); empty when there is nothing to send. */
  Future<Optional<Notice>> notice(String kind, JsonObject payload);

  /**
   * To whom and in which language; {@code link}: where the button goes (the reset page, or where to ask for one);
   * {@code byAdmin}: a reset link an admin sent, not one the person asked for.
   */
  record Notice(String to, String name, Lang lang, String link, boolean byAdmin) {}
}
