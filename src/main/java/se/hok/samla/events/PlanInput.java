package se.hok.samla.events;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import se.hok.samla.web.FieldChecks;

/**
 * The action plan as a person typed it (form or API), kept as text so a form can be shown again as it was sent; each
 * {@code validate} turns it into checked values or field errors.
 */
public final class PlanInput {
  private PlanInput() {}

  /** A period: its name and its first and last year. */
  public record Period(String name, String firstYear, String lastYear) {
    public static Period fromForm(MultiMap form) {
      return new Period(form.get("name"), form.get("firstYear"), form.get("lastYear"));
    }

    public static Period fromJson(JsonObject json) {
      return new Period(str(json.getValue("name")), str(json.getValue("firstYear")), str(json.getValue("lastYear")));
    }

    public static Period of(PlanPeriod p) {
      return new Period(p.name(), String.valueOf(p.firstYear()), String.valueOf(p.lastYear()));
    }

    record Data(String name, int firstYear, int lastYear) {}

    Data validate(FieldChecks checks) {
      String n = checks.text("name", name, true, 200);
      Integer first = checks.wholeNumber("firstYear", firstYear, true, 2000, 2100);
      Integer last = checks.wholeNumber("lastYear", lastYear, true, 2000, 2100);
      if (first != null && last != null && last < first) {
        checks.add("lastYear", "error.plan.lastBeforeFirst");
      }
      checks.throwIfAny();
      return new Data(n, first, last);
    }
  }

  /** A year of a period: its theme (from one of the agreement's principles) and focus area. */
  public record Year(String year, String theme, String focusArea) {
    public static Year fromForm(MultiMap form) {
      return new Year(form.get("year"), form.get("theme"), form.get("focusArea"));
    }

    public static Year fromJson(String year, JsonObject json) {
      return new Year(year, str(json.getValue("theme")), str(json.getValue("focusArea")));
    }

    public static Year of(PlanYear y) {
      return new Year(String.valueOf(y.year()), y.theme(), y.focusArea());
    }

    public Year withYear(int year) {
      return new Year(String.valueOf(year), theme, focusArea);
    }

    PlanYear validate(FieldChecks checks) {
      Integer y = checks.wholeNumber("year", year, true, 2000, 2100);
      String t = checks.text("theme", theme, true, 200);
      String f = checks.text("focusArea", focusArea, false, 200);
      checks.throwIfAny();
      return new PlanYear(y, t, f);
    }
  }

  /** A planned activity: title, kind (optional), target and notes (optional), and its place in the year's list. */
  public record Activity(String title, String kind, String target, String notes, String position) {
    public static Activity fromForm(MultiMap form) {
      return new Activity(form.get("title"), form.get("kind"), form.get("target"), form.get("notes"),
          form.get("position"));
    }

    public static Activity fromJson(JsonObject json) {
      return new Activity(str(json.getValue("title")), str(json.getValue("kind")), str(json.getValue("target")),
          str(json.getValue("notes")), str(json.getValue("position")));
    }

    public static Activity of(PlannedActivity a) {
      return new Activity(a.title(), a.kind(), a.target(), a.notes(), String.valueOf(a.position()));
    }

    public static Activity blank() {
      return new Activity(null, null, null, null, null);
    }

    record Data(String title, String kind, String target, String notes, Integer position) {}

    Data validate(FieldChecks checks) {
      String t = checks.text("title", title, true, 200);
      String k = null;
      if (kind != null && !kind.isBlank()) {
        EventKind parsed = EventKind.parse(kind);
        if (parsed == null) {
          checks.add("kind", "error.event.kind");
        } else {
          k = parsed.code();
        }
      }
      String tg = checks.text("target", target, false, 200);
      String n = checks.text("notes", notes, false, 2000);
      Integer p = checks.wholeNumber("position", position, false, 0, 1000);
      checks.throwIfAny();
      return new Data(t, k, tg, n, p);
    }
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
