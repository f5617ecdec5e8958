package se.hok.samla.registration;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of a sign-up as its caller may learn it. The public (the web form, the API without a staff token)
 * always gets {@link #NEUTRAL}: whether the address was new, already registered or waitlisted is told only by e-mail,
 * to the address. Staff get the registration ({@code id}, {@code status}, the waiting-list place, needs that came too
 * late), or {@link #DUPLICATE} when the address is already registered for the event. No result carries a manage link:
 * that goes only to the address (see {@link RegistrationService#issueToken}).
 */
public record RegistrationResult(UUID id, String status, Integer waitlistPosition, boolean duplicate,
                                 List<String> urgentNeeds) {
  /** What the public is told, whatever happened: check your e-mail. */
  public static final RegistrationResult NEUTRAL = new RegistrationResult(null, null, null, false, List.of());
  /** Staff only: the address is already registered for the event; nothing was changed. */
  public static final RegistrationResult DUPLICATE = new RegistrationResult(null, null, null, true, List.of());
}
