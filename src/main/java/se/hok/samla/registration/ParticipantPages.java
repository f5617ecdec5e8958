package se.hok.samla.registration;

import io.vertx.ext.web.Router;
import java.time.Clock;
import se.hok.samla.events.EventService;
import se.hok.samla.web.Templates;

/** The participant's pages: the sign-up form, its answer, and the manage page behind the emailed link. */
public final class ParticipantPages {
  private final RegistrationService registrations;
  private final EventService events;
  private final Templates templates;
  private final String publicUrl;
  private final Clock clock;

  public ParticipantPages(RegistrationService registrations, EventService events, Templates templates, String publicUrl, Clock clock) {
    this.registrations = registrations;
    this.events = events;
    this.templates = templates;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  public void mount(Router router) {
  }
}
