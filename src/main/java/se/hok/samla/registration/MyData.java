package se.hok.samla.registration;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.privacy.PersonalData;
import se.hok.samla.web.EventTimes;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;

/**
 * "Download my data" as a page: {@link PersonalData.Export} in words, in the reader's language, section by section
 * (label and value rows), with nothing left out – what the JSON download holds, the page shows.
 */
final class MyData {
  private static final ZoneId STOCKHOLM = EventTimes.ZONE;

  private MyData() {}

  /** A fact: what it is, and its value in words. */
  record Row(String label, String value) {}

  /** A heading, its facts, and what to say when there are none. */
  record Section(String id, String heading, List<Row> rows, String empty) {}

  static Map<String, Object> model(PersonalData.Export d, Lang lang, String managePath) {
    DateTimeFormatter when = EventTimes.dateAndClock(lang);
    DateTimeFormatter day = EventTimes.date(lang);
    String none = t(lang, "reg.data.none");
    PersonalData.RegistrationPart r = d.registration();

    List<Row> registration = new ArrayList<>();
    registration.add(new Row(t(lang, "reg.manage.status"), switch (r.status()) {
      case "confirmed" -> t(lang, "reg.manage.status.confirmed");
      case "waitlisted" -> t(lang, "reg.manage.status.waitlisted", r.waitlistPosition());
      default -> t(lang, "reg.manage.status.cancelled");
    }));
    registration.add(new Row(t(lang, "reg.manage.name"), r.name()));
    registration.add(new Row(t(lang, "reg.manage.email"), orNone(r.email(), none)));
    registration.add(new Row(t(lang, "reg.manage.phone"), orNone(r.phone(), none)));
    registration.add(new Row(t(lang, "reg.manage.organisation"), r.organisation() == null ? none
        : r.organisation() + (r.sector() == null ? "" : " (" + t(lang, "sector." + r.sector()) + ")")));
    registration.add(new Row(t(lang, "reg.manage.roleTitle"), orNone(r.roleTitle(), none)));
    registration.add(new Row(t(lang, "companion.label"), t(lang, r.companion() ? "companion.yes" : "companion.no")));
    registration.add(new Row(t(lang, "reg.manage.diet"), r.diet().isEmpty() ? none
        : String.join(", ", r.diet().stream().map(code -> t(lang, "reg.diet." + code)).toList())));
    registration.add(new Row(t(lang, "reg.manage.language"), t(lang, "reg.language." + r.language())));
    registration.add(new Row(t(lang, "reg.data.source"), t(lang, "reg.data.source." + r.source())));
    registration.add(new Row(t(lang, "reg.data.createdAt"), at(r.createdAt(), when, none)));
    if (r.confirmedAt() != null) {
      registration.add(new Row(t(lang, "reg.data.confirmedAt"), at(r.confirmedAt(), when, none)));
    }
    if (r.cancelledAt() != null) {
      registration.add(new Row(t(lang, "reg.data.cancelledAt"), at(r.cancelledAt(), when, none)));
    }
    registration.add(new Row(t(lang, "reg.data.consentAt"), at(r.consentAt(), when, none)));
    registration.add(new Row(t(lang, "reg.data.updatedAt"), at(r.updatedAt(), when, none)));
    // The pseudonymous key the follow-up counts people by across the years of the plan period (events.ParticipantKeys).
    registration.add(new Row(t(lang, "reg.data.participantKey"), r.participantKey() == null
        ? t(lang, "reg.data.participantKey.none") : t(lang, "reg.data.participantKey.value", r.participantKey())));

    List<Row> needs = d.needs().stream().map(n -> new Row(pick(lang, n.label(), n.labelEn()),
        n.detail() == null ? t(lang, "reg.data.noDetail") : n.detail())).toList();
    List<Row> sessions = d.sessions().stream().map(s -> new Row(time(s.startsAt(), s.endsAt()),
        pick(lang, s.title(), s.titleEn()) + " – " + t(lang, s.holdsSeat() ? "reg.data.seat" : "reg.data.noSeat"))).toList();
    List<Row> tickets = d.tickets().stream().map(tk -> new Row(tk.reference(),
        t(lang, "reg.data.issued", at(tk.issuedAt(), when, none))
            + (tk.revokedAt() == null ? "" : " – " + t(lang, "reg.data.revoked", at(tk.revokedAt(), when, none))))).toList();
    List<Row> checkins = d.checkins().stream().map(c -> new Row(at(c.at(), when, none),
        (c.session() == null ? t(lang, "reg.data.checkin.event") : pick(lang, c.session(), c.sessionEn()))
            + " – " + t(lang, "reg.data.checkin." + c.method())
            + (c.undoneAt() == null ? "" : " – " + t(lang, "reg.data.checkin.undone", at(c.undoneAt(), when, none))))).toList();
    List<Row> feedback = new ArrayList<>();
    if (d.feedback() != null) {
      PersonalData.FeedbackPart f = d.feedback();
      feedback.add(new Row(t(lang, "reg.data.feedback.rating"), String.valueOf(f.rating())));
      feedback.add(new Row(t(lang, "reg.data.feedback.mostValuable"), orNone(f.mostValuable(), none)));
      feedback.add(new Row(t(lang, "reg.data.feedback.improve"), orNone(f.improve(), none)));
      feedback.add(new Row(t(lang, "reg.data.feedback.futureInterest"), orNone(f.futureInterest(), none)));
      feedback.add(new Row(t(lang, "reg.data.feedback.submittedAt"), at(f.submittedAt(), when, none)));
    }
    List<Row> tasks = d.organiserTasks().stream().map(task -> new Row(pick(lang, task.need(), task.needEn()),
        t(lang, "reg.data.task.bookBy", date(task.bookBy(), day))
            + " – " + t(lang, "org.tasks.stateName." + task.state())
            + (task.doneAt() == null ? "" : " " + at(task.doneAt(), when, none))
            + (task.note() == null ? "" : " – " + t(lang, "reg.data.task.note", task.note())))).toList();
    List<Row> emails = d.emails().stream().map(m -> new Row(at(m.sentAt() != null ? m.sentAt() : m.createdAt(), when, none),
        t(lang, "reg.data.mail.kind." + m.kind()) + " – " + mailState(lang, m))).toList();

    List<Section> sections = List.of(
        new Section("registration", t(lang, "reg.data.registration"), registration, none),
        new Section("needs", t(lang, "reg.manage.needs"), needs, t(lang, "reg.data.needs.none")),
        new Section("sessions", t(lang, "reg.manage.sessions"), sessions, t(lang, "reg.data.sessions.none")),
        new Section("tickets", t(lang, "reg.data.tickets"), tickets, t(lang, "reg.data.tickets.none")),
        new Section("checkins", t(lang, "reg.data.checkins"), checkins, t(lang, "reg.data.checkins.none")),
        new Section("feedback", t(lang, "reg.data.feedback"), feedback, t(lang, "reg.data.feedback.none")),
        new Section("tasks", t(lang, "reg.data.tasks"), tasks, t(lang, "reg.data.tasks.none")),
        new Section("emails", t(lang, "reg.data.emails"), emails, t(lang, "reg.data.emails.none")));

    Map<String, Object> model = new HashMap<>();
    model.put("eventTitle", pick(lang, d.event().title(), d.event().titleEn()));
    model.put("eventId", d.event().id());
    model.put("eventWhen", at(d.event().startsAt(), when, none));
    model.put("exportedAt", at(d.exportedAt(), when, none));
    model.put("sections", sections);
    model.put("managePath", managePath);
    return model;
  }

  /** The download: the export as it is, indented so that it can be read as well as imported. */
  static String json(PersonalData.Export d) {
    try {
      return se.hok.samla.web.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the export", e);
    }
  }

  private static String mailState(Lang lang, PersonalData.MailPart m) {
    if (m.outcome() == null) {
      return t(lang, "reg.data.mail.pending");
    }
    String state = t(lang, "reg.data.mail." + m.outcome());
    return m.recipient() == null ? state : state + " " + t(lang, "reg.data.mail.to", m.recipient());
  }

  private static String orNone(String value, String none) {
    return value == null || value.isBlank() ? none : value;
  }

  private static String at(OffsetDateTime t, DateTimeFormatter format, String none) {
    return t == null ? none : format.format(t.atZoneSameInstant(STOCKHOLM));
  }

  private static String date(LocalDate d, DateTimeFormatter format) {
    return format.format(d);
  }

  private static String time(OffsetDateTime start, OffsetDateTime end) {
    return EventTimes.hours(start, end);
  }

  private static String pick(Lang lang, String sv, String en) {
    return lang == Lang.EN && en != null && !en.isBlank() ? en : sv;
  }

  private static String t(Lang lang, String key, Object... args) {
    return Messages.get(lang, key, args);
  }
}
