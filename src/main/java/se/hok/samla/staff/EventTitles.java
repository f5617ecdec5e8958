package se.hok.samla.staff;

import io.vertx.core.Future;
import se.hok.samla.web.Lang;

/** An event's title as a page shows it, from the events feature (which owns events); fails with NotFound for none. */
@FunctionalInterface
public interface EventTitles {
  Future<String> title(long eventId, Lang lang);
}
