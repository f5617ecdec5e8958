package se.hok.samla.registration;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import se.hok.samla.web.FieldChecks;

/**
 * A sign-up as a person typed it (form or API), kept as text so a form can be shown again exactly as sent.
 * {@link #validate} checks what can be checked without the database.
 *
 * <p>{@code untickedDetails}: text typed in a need's detail box (code → text) whose need was not ticked. Nothing a
 * person typed is dropped silently: such a box is an error ("tick the need, or empty the box"), and the form comes back
 * with the text kept, so an allergy written down is never lost on the way. Only forms have it; JSON names needs.
 */
public record RegistrationInput(
    String name, String email, String phone, String organisationId, String organisationName, String sector,
    String roleTitle, List<String> sessions, Map<String, String> needs, List<String> diet, boolean companion,
    boolean consent, String language, Map<String, String> untickedDetails) {

  public RegistrationInput(String name, String email, String phone, String organisationId, String organisationName,
                           String sector, String roleTitle, List<String> sessions, Map<String, String> needs,
                           List<String> diet, boolean companion, boolean consent, String language) {
    this(name, email, phone, organisationId, organisationName, sector, roleTitle, sessions, needs, diet, companion,
        consent, language, Map.of());
  }

  public static final Set<String> SECTORS = Set.of("ideburen", "offentlig", "privat", "ovrig");
  public static final List<String> DIETS = List.of("vegetarisk", "vegansk", "glutenfri", "laktosfri", "fri_fran_notter", "halal");
  static final int MAX_TEXT = 2000;

  /** Checked values. needs: code → detail (null when none). */
  public record Data(
      String name, String email, String phone, Long organisationId, String organisationName, String sector,
      String roleTitle, List<Long> sessions, Map<String, String> needs, List<String> diet, boolean companion,
      boolean consent, String language) {
    /** A companion takes a seat of their own. */
    public int seats() {
      return companion ? 2 : 1;
    }
  }

  public static RegistrationInput fromJson(JsonObject json) {
    Map<String, String> needs = new LinkedHashMap<>();
    JsonArray needArray = json.getJsonArray("needs", new JsonArray());
    for (int i = 0; i < needArray.size(); i++) {
      JsonObject n = needArray.getJsonObject(i);
      needs.put(String.valueOf(n.getValue("code")), n.getValue("detail") == null ? null : String.valueOf(n.getValue("detail")));
    }
    Object diet = json.getValue("diet");
    List<String> diets = new ArrayList<>();
    if (diet instanceof JsonArray a) {
      a.forEach(d -> diets.add(String.valueOf(d)));
    } else if (diet instanceof String s && !s.isBlank()) {
      diets.add(s);
    }
    List<String> sessions = new ArrayList<>();
    json.getJsonArray("sessions", new JsonArray()).forEach(s -> sessions.add(String.valueOf(s)));
    return new RegistrationInput(str(json.getValue("name")), str(json.getValue("email")), str(json.getValue("phone")),
        str(json.getValue("organisationId")), str(json.getValue("organisationName")), str(json.getValue("sector")),
        str(json.getValue("roleTitle")), sessions, needs, diets, Boolean.TRUE.equals(json.getValue("companion")),
        Boolean.TRUE.equals(json.getValue("consent")), str(json.getValue("language")));
  }

  /** Form fields: need.CODE=on with needDetail.CODE, session.SLOT=id, diet=code (repeated). */
  public static RegistrationInput fromForm(MultiMap form) {
    Map<String, String> needs = new LinkedHashMap<>();
    Map<String, String> unticked = new LinkedHashMap<>();
    List<String> sessions = new ArrayList<>();
    for (String key : form.names()) {
      if (key.startsWith("need.")) {
        String code = key.substring(5);
        needs.put(code, blankToNull(form.get("needDetail." + code)));
      } else if (key.startsWith("session.") && !form.get(key).isBlank()) {
        sessions.add(form.get(key));
      }
    }
    for (String key : form.names()) {
      if (key.startsWith("needDetail.") && !needs.containsKey(key.substring(11)) && blankToNull(form.get(key)) != null) {
        unticked.put(key.substring(11), form.get(key));
      }
    }
    return new RegistrationInput(form.get("name"), form.get("email"), form.get("phone"), form.get("organisationId"),
        form.get("organisationName"), form.get("sector"), form.get("roleTitle"), sessions, needs, form.getAll("diet"),
        "true".equals(form.get("companion")), "true".equals(form.get("consent")), form.get("language"), unticked);
  }

  /** What the detail box of this need shows: what was typed in it, ticked or not. */
  public String detailText(String code) {
    return needs.containsKey(code) ? needs.get(code) : untickedDetails.get(code);
  }

  /** The same input with a typed organisation name replaced by the id of the organisation known by it. */
  public RegistrationInput withOrganisationId(long id) {
    return new RegistrationInput(name, email, phone, String.valueOf(id), null, null, roleTitle, sessions, needs, diet,
        companion, consent, language, untickedDetails);
  }

  public Data validate(FieldChecks checks) {
    return validate(checks, true);
  }

  /** @param emailRequired false only at the door: a walk-in without an e-mail address is let in all the same */
  public Data validate(FieldChecks checks, boolean emailRequired) {
    String cleanName = checks.text("name", name, true, 200);
    String cleanEmail = checks.email("email", email, emailRequired);
    String cleanPhone = checks.text("phone", phone, false, 40);
    if (cleanPhone != null && !checks.has("phone") && !cleanPhone.matches("[+0-9 ()\\-]{5,40}")) {
      checks.add("phone", "error.reg.phone");
    }
    Long orgId = null;
    if (organisationId != null && !organisationId.isBlank()) {
      try {
        orgId = Long.parseLong(organisationId.strip());
      } catch (NumberFormatException e) {
        checks.add("organisationId", "error.reg.organisationUnknown");
      }
    }
    String orgName = orgId == null ? checks.text("organisationName", organisationName, false, 200) : null;
    String cleanSector = blankToNull(sector);
    if (orgName != null && (cleanSector == null || !SECTORS.contains(cleanSector))) {
      // A name typed here is a new organisation (known names are resolved to their id first): it needs a sector.
      checks.add("sector", cleanSector == null ? "error.reg.sectorRequired" : "error.reg.sectorUnknown");
    }
    String role = checks.text("roleTitle", roleTitle, false, 200);
    List<Long> sessionIds = new ArrayList<>();
    for (String s : sessions) {
      try {
        sessionIds.add(Long.parseLong(s.strip()));
      } catch (NumberFormatException e) {
        checks.add("sessions", "error.reg.sessionUnknown");
      }
    }
    Map<String, String> cleanNeeds = new LinkedHashMap<>();
    needs.forEach((code, detail) -> {
      if (!Need.COMPANION.equals(code)) {
        cleanNeeds.put(code, checks.text("needs." + code, detail, false, MAX_TEXT));
      }
    });
    // One question per fact: the companion need is the companion answer, which books the seat.
    boolean withCompanion = companion || needs.containsKey(Need.COMPANION);
    untickedDetails.keySet().forEach(code -> checks.add("needs." + code, "error.reg.detailWithoutNeed"));
    List<String> cleanDiet = new ArrayList<>();
    for (String d : diet) {
      if (!DIETS.contains(d)) {
        checks.add("diet", "error.reg.dietUnknown");
      } else if (!cleanDiet.contains(d)) {
        cleanDiet.add(d);
      }
    }
    if (!cleanNeeds.isEmpty() && !consent) {
      checks.add("consent", "error.reg.consent");
    }
    String lang = blankToNull(language) == null ? "sv" : language.strip().toLowerCase();
    if (!lang.equals("sv") && !lang.equals("en")) {
      checks.add("language", "error.reg.language");
    }
    checks.throwIfAny();
    return new Data(cleanName, cleanEmail, cleanPhone, orgId, orgName, cleanSector, role, sessionIds, cleanNeeds,
        cleanDiet, withCompanion, consent, lang);
  }

  /**
   * The SHA-256 of the request's canonical form, stored with its Idempotency-Key: the event, who asked (the source),
   * and every field as the rules read it – trimmed, the address and a typed organisation name in lower case, sessions,
   * needs and diets sorted, the language defaulted. So a retry of the same request matches whether it came as a form
   * or as JSON with its fields in another order, and any change of what would be stored does not. Taken from the input
   * as typed, before a typed organisation name is looked up (a retry must not differ because the first request created
   * that organisation).
   */
  public byte[] fingerprint(long eventId, String source) {
    JsonArray sortedSessions = new JsonArray(sessions.stream().map(String::strip).filter(s -> !s.isEmpty()).sorted().toList());
    JsonArray sortedNeeds = new JsonArray();
    new java.util.TreeMap<>(needs).forEach((code, detail) -> sortedNeeds.add(new JsonArray().add(code.strip()).add(canonical(detail))));
    JsonArray sortedDiet = new JsonArray(diet.stream().map(String::strip).distinct().sorted().toList());
    String lang = blankToNull(language) == null ? "sv" : language.strip().toLowerCase(java.util.Locale.ROOT);
    JsonArray canonical = new JsonArray().add(eventId).add(source)
        .add(canonical(name)).add(lower(email)).add(canonical(phone)).add(canonical(organisationId))
        .add(lower(organisationName)).add(canonical(sector)).add(canonical(roleTitle))
        .add(sortedSessions).add(sortedNeeds).add(sortedDiet).add(companion).add(consent).add(lang);
    return se.hok.samla.web.Tokens.sha256(canonical.encode());
  }

  private static String canonical(String s) {
    return blankToNull(s);
  }

  private static String lower(String s) {
    String v = blankToNull(s);
    return v == null ? null : v.toLowerCase(java.util.Locale.ROOT);
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
