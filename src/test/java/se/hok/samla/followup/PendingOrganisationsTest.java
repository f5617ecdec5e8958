package se.hok.samla.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.events.Organisation;

/**
 * A name typed on the public form that no organiser has accepted yet comes to the follow-up as ReportService reads
 * it (no name, sector "ovrig"): its people count, under "other", and the name is in no table.
 */
class PendingOrganisationsTest {
  @Test
  void aNameNotYetAcceptedCountsAsOtherAndIsNeverNamed() {
    Participation.HeldEvent event = Participation.HeldEvent.found(1, "workshop", "Workshop", null,
        OffsetDateTime.now().minusDays(1), 2024, null);
    Organisation accepted = Organisation.of(10, "Studieförbundet Sensus", "ideburen", true);
    Organisation pending = Organisation.of(11, null, "ovrig", false);
    List<Participation.Attendance> rows = List.of(
        new Participation.Attendance(1, "confirmed", "web", 10L, "a@example.org", true, null),
        new Participation.Attendance(1, "confirmed", "web", 11L, "b@example.org", true, null),
        new Participation.Attendance(1, "confirmed", "web", 11L, "c@example.org", true, null));
    Participation p = Participation.of(Scope.planYear(2024), null, List.of(event), rows, List.of(accepted, pending), Map.of());

    assertEquals(3, p.totals().attendances(), "everyone counts");
    assertEquals(List.of("Studieförbundet Sensus"), p.organisations().stream().map(Participation.OrganisationRow::name).toList(),
        "only accepted names are shown");
    Participation.SectorRow other = p.sectors().stream().filter(s -> "ovrig".equals(s.sector())).findFirst().orElseThrow();
    assertEquals(2, other.attendances());
    assertEquals(1, other.organisations());
  }
}
