package se.hok.samla.events;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import se.hok.samla.web.FieldChecks;

/** An organisation as a person typed it (the organisations page or the API); {@link #validate} checks it. */
public record OrganisationInput(String name, String sector, String signatory, String signatorySince,
                                String signatoryUntil, String contactName, String contactEmail) {
  public static final List<String> SECTORS = List.of("ideburen", "offentlig", "privat", "ovrig");

  public static OrganisationInput fromForm(MultiMap form) {
    return new OrganisationInput(form.get("name"), form.get("sector"), form.get("signatory"),
        form.get("signatorySince"), form.get("signatoryUntil"), form.get("contactName"), form.get("contactEmail"));
  }

  public static OrganisationInput fromJson(JsonObject json) {
    return new OrganisationInput(str(json.getValue("name")), str(json.getValue("sector")),
        str(json.getValue("signatory")), str(json.getValue("signatorySince")), str(json.getValue("signatoryUntil")),
        str(json.getValue("contactName")), str(json.getValue("contactEmail")));
  }

  public static OrganisationInput of(Organisation o) {
    return new OrganisationInput(o.name(), o.sector(), String.valueOf(o.signatory()),
        o.signatorySince() == null ? null : o.signatorySince().toString(),
        o.signatoryUntil() == null ? null : o.signatoryUntil().toString(), o.contactName(), o.contactEmail());
  }

  public static OrganisationInput blank() {
    return new OrganisationInput(null, null, null, null, null, null, null);
  }

  /** Whether the box "part i överenskommelsen" is ticked (the form sends "true", the API true). */
  public boolean isSignatory() {
    return signatory != null && (signatory.equals("true") || signatory.equals("on") || signatory.equals("1"));
  }

  Organisation validate(long id, FieldChecks checks) {
    String n = checks.text("name", name, true, 200);
    String s = sector == null ? null : sector.strip();
    if (s == null || s.isEmpty()) {
      checks.add("sector", "error.required");
    } else if (!SECTORS.contains(s)) {
      checks.add("sector", "error.org.sector");
    }
    boolean party = isSignatory();
    LocalDate since = date(checks, "signatorySince", signatorySince);
    LocalDate until = date(checks, "signatoryUntil", signatoryUntil);
    if (since != null && until != null && until.isBefore(since)) {
      checks.add("signatoryUntil", "error.org.untilBeforeSince");
    }
    if (!party && (since != null || until != null)) {
      checks.add("signatory", "error.org.datesWithoutParty");
    }
    String cn = checks.text("contactName", contactName, false, 200);
    String ce = checks.email("contactEmail", contactEmail, false);
    checks.throwIfAny();
    return new Organisation(id, n, s, party, since, until, cn, ce);
  }

  private static LocalDate date(FieldChecks checks, String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(value.strip());
      if (d.getYear() < 1900 || d.getYear() > 2100) {
        checks.add(field, "error.org.dateRange");
        return null;
      }
      return d;
    } catch (DateTimeException e) {
      checks.add(field, "error.org.date");
      return null;
    }
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
