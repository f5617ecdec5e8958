package se.hok.samla.config;

import java.time.Duration;
import java.util.Map;

/**
 * Every rate limit of Samla, from {@code SAMLA_LIMIT_*} (listed in the README). Sign-in limits count failed
 * attempts; sign-up limits count sign-ups that were taken (a form sent back with mistakes counts nothing).
 *
 * @param signInPerAccount     failed sign-ins per account (by e-mail, known or not)
 * @param signInPerClient      failed sign-ins per client address
 * @param resetPerClient       "forgot my password" requests per client address
 * @param resetPerAccount      reset e-mails per account (more requests get the same neutral answer and no e-mail)
 * @param signUpsPerClient     public sign-ups per client address (an office behind one address signs up together)
 * @param signUpsPerEmail      public sign-ups per participant e-mail address, over all events
 * @param signUpsPerEmailEvent public sign-ups per participant e-mail address and event
 * @param organisationsPerClient new organisation names typed on the public form, per client address
 * @param organiserAlertInterval at most one "needs to book" e-mail per event in this time; the rest are gathered
 * @param ticketResendPerRegistration "send the ticket again" on the manage page, per registration
 * @param changeNoticeDelay how long a change notice waits for more edits of the event; a burst of edits within it
 *                          gives each participant one e-mail
 */
public record Limits(
    Limit signInPerAccount,
    Limit signInPerClient,
    Limit resetPerClient,
    Limit resetPerAccount,
    Limit signUpsPerClient,
    Limit signUpsPerEmail,
    Limit signUpsPerEmailEvent,
    Limit organisationsPerClient,
    Duration organiserAlertInterval,
    Limit ticketResendPerRegistration,
    Duration changeNoticeDelay) {

  public static Limits defaults() {
    return fromEnvironment(Map.of());
  }

  static Limits fromEnvironment(Map<String, String> env) {
    return new Limits(
        limit(env, "SAMLA_LIMIT_SIGNIN_PER_ACCOUNT", "5/1m,20/1h,50/1d"),
        limit(env, "SAMLA_LIMIT_SIGNIN_PER_CLIENT", "20/1m,100/1h,300/1d"),
        limit(env, "SAMLA_LIMIT_PASSWORD_RESET_PER_CLIENT", "5/15m,20/1d"),
        limit(env, "SAMLA_LIMIT_PASSWORD_RESET_PER_ACCOUNT", "3/1h,6/1d"),
        limit(env, "SAMLA_LIMIT_SIGNUPS_PER_CLIENT", "40/1m,300/1h,1000/1d"),
        limit(env, "SAMLA_LIMIT_SIGNUPS_PER_EMAIL", "10/1h,30/1d"),
        limit(env, "SAMLA_LIMIT_SIGNUPS_PER_EMAIL_EVENT", "3/1h,6/1d"),
        limit(env, "SAMLA_LIMIT_ORGANISATIONS_PER_CLIENT", "5/1h,20/1d"),
        Duration.ofMinutes(minutes(env, "SAMLA_ORGANISER_ALERT_MINUTES", 60)),
        limit(env, "SAMLA_LIMIT_TICKET_RESEND_PER_REGISTRATION", "3/1h,10/1d"),
        Duration.ofMinutes(minutes(env, "SAMLA_CHANGE_NOTICE_MINUTES", 5)));
  }

  private static Limit limit(Map<String, String> env, String name, String dflt) {
    String v = env.get(name);
    return Limit.parse(name, v == null || v.isBlank() ? dflt : v);
  }

  private static int minutes(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 0 || n > 1440) {
        throw new ConfigException(name + " must be between 0 and 1440, was " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number of minutes, was " + v);
    }
  }
}
