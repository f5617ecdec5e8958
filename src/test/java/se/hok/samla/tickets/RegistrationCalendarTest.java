package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import org.junit.jupiter.api.Test;

/** A registration's .ics: parses, keeps its UID through changes, Swedish time with the zone's definition. */
class RegistrationCalendarTest {
  static final UUID ID = UUID.fromString("0b7e8c1a-3f7b-4c1e-9d55-2d1f3c4b5a69");
  static final OffsetDateTime START = OffsetDateTime.parse("2026-04-14T07:00Z");
  static final OffsetDateTime END = OffsetDateTime.parse("2026-04-14T14:00Z");

  static String ics(int sequence, boolean cancelled) {
    return RegistrationCalendar.ics(ID, "Samverkanskonferens – Öppenhet", START, END, "Tjärnhov, Stationsgatan 1, Halmstad",
        "Välkommen!", "https://samla.example/anmalan/abc", sequence, "samla.example", cancelled);
  }

  static Calendar parse(String ics) throws Exception {
    return new CalendarBuilder().build(new StringReader(ics));
  }

  static String prop(Calendar cal, String name) {
    VEvent event = cal.<VEvent>getComponent("VEVENT").orElseThrow();
    return event.<Property>getProperty(name).orElseThrow().getValue();
  }

  @Test
  void itParsesWithEverythingInIt() throws Exception {
    String text = ics(0, false);
    Calendar cal = parse(text);
    assertEquals("PUBLISH", cal.<Property>getProperty("METHOD").orElseThrow().getValue());
    assertEquals("registration-" + ID + "@samla.example", prop(cal, "UID"));
    assertEquals("0", prop(cal, "SEQUENCE"));
    assertEquals("CONFIRMED", prop(cal, "STATUS"));
    assertEquals("Samverkanskonferens – Öppenhet", prop(cal, "SUMMARY"));
    assertEquals("Tjärnhov, Stationsgatan 1, Halmstad", prop(cal, "LOCATION"));
    assertEquals("https://samla.example/anmalan/abc", prop(cal, "URL"));
    assertTrue(prop(cal, "DESCRIPTION").contains("https://samla.example/anmalan/abc"));

    VTimeZone zone = cal.<VTimeZone>getComponent("VTIMEZONE").orElseThrow();
    assertEquals("Europe/Stockholm", zone.<Property>getProperty("TZID").orElseThrow().getValue());
    assertTrue(text.contains("DTSTART;TZID=Europe/Stockholm:20260414T090000"), text);
    assertTrue(text.contains("DTEND;TZID=Europe/Stockholm:20260414T160000"), text);
    VEvent event = cal.<VEvent>getComponent("VEVENT").orElseThrow();
    ZonedDateTime start = ZonedDateTime.from(event.getDateTimeStart().getDate());
    assertEquals(START.toInstant(), start.toInstant());
  }

  @Test
  void theUidStaysAndTheSequenceIsAsGiven() throws Exception {
    Calendar first = parse(ics(0, false));
    Calendar changed = parse(ics(3, false));
    Calendar cancelled = parse(ics(4, true));
    assertEquals(prop(first, "UID"), prop(changed, "UID"));
    assertEquals(prop(first, "UID"), prop(cancelled, "UID"));
    assertEquals("3", prop(changed, "SEQUENCE"));
    assertEquals("4", prop(cancelled, "SEQUENCE"));
    assertEquals("CANCELLED", prop(cancelled, "STATUS"));
  }

  @Test
  void optionalPartsMayBeMissing() throws Exception {
    Calendar cal = parse(RegistrationCalendar.ics(ID, "Dialogmöte", START, END, null, null, null, 0, "samla.example", false));
    VEvent event = cal.<VEvent>getComponent("VEVENT").orElseThrow();
    assertTrue(event.getProperty("LOCATION").isEmpty());
    assertTrue(event.getProperty("URL").isEmpty());
  }
}
