package se.hok.samla.followup;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every minute, queues the after-event thank-you (with the survey link) of the events that are due; see
 * {@link FeedbackService#queueThankYous()}. Runs in every instance: claiming makes it happen once.
 */
public final class FeedbackThanks {
  private static final Logger log = LoggerFactory.getLogger(FeedbackThanks.class);

  private final FeedbackService feedback;

  public FeedbackThanks(FeedbackService feedback) {
    this.feedback = feedback;
  }

  public void schedule(Vertx vertx) {
    vertx.setPeriodic(60_000, t -> feedback.queueThankYous()
        .onSuccess(n -> {
          if (n > 0) {
            log.info("Queued {} after-event thank-you e-mails", n);
          }
        })
        .onFailure(e -> log.warn("Could not queue after-event thank-you e-mails; will try again", e)));
  }
}
