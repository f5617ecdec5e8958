package se.hok.samla.events;

import java.util.List;

/**
 * The person-level figures of one plan year as they were counted when its period was closed, and all that remains
 * of them: the keys they were counted from are gone. ratings*: how many answered 1 … 5 (index 0 is rating 1) among
 * the people who took part in one kind of activity that year, and in two or more kinds.
 */
public record KeptPeople(int year, long people, long peopleTwoKinds, long peopleTwoEvents, Long firstTimers,
                         Long cameAgainNextYear, long unlinked, List<Long> ratingsOneKind,
                         List<Long> ratingsTwoKinds) {
  public KeptPeople {
    ratingsOneKind = List.copyOf(ratingsOneKind);
    ratingsTwoKinds = List.copyOf(ratingsTwoKinds);
  }
}
