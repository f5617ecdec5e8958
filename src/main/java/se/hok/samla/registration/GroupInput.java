package se.hok.samla.registration;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import se.hok.samla.web.FieldChecks;
import se.hok.samla.web.Msg;
import se.hok.samla.web.Tokens;
import se.hok.samla.web.ValidationException;

/**
 * A contact person signing several people up at once (form or API), kept as typed. Each person is a
 * {@link RegistrationInput} whose e-mail address is optional: someone without one – or with the contact's own address,
 * which two people may share – is signed up through the contact, who gets their tickets and manage links.
 *
 * <p>Errors name the field in the list: {@code people[2].email}; the contact's are {@code contact.name} and
 * {@code contact.email}; the list's own (none, too many) {@code people}; the one consent {@code consent}.
 */
public record GroupInput(String contactName, String contactEmail, String language, boolean consent,
                         List<RegistrationInput> people) {
  /**
   * At most this many people in one group: what the per-client limit is sized for (an office signing 30 people up in a
   * minute, see SignUpLimits), where a group counts as its size.
   */
  public static final int MAX_PEOPLE = 30;
  /** Blank person rows a new form offers. */
  static final int FORM_ROWS = 3;

  /** A checked person: {@code viaContact} when their e-mail goes to the contact (no address of their own). */
  public record Person(RegistrationInput.Data data, boolean viaContact) {}

  /** Checked values. */
  public record Data(String contactName, String contactEmail, String language, List<Person> people) {
    public int viaContact() {
      return (int) people.stream().filter(Person::viaContact).count();
    }
  }

  public static GroupInput fromJson(JsonObject json) {
    JsonObject contact = json.getValue("contact") instanceof JsonObject c ? c : new JsonObject();
    String language = str(json.getValue("language"));
    boolean consent = Boolean.TRUE.equals(json.getValue("consent"));
    List<RegistrationInput> people = new ArrayList<>();
    if (json.getValue("people") instanceof JsonArray list) {
      for (Object item : list) {
        JsonObject person = item instanceof JsonObject p ? p.copy() : new JsonObject();
        person.put("consent", consent).put("language", language);
        people.add(RegistrationInput.fromJson(person));
      }
    }
    return new GroupInput(str(contact.getValue("name")), str(contact.getValue("email")), language, consent, people);
  }

  private static final Pattern PERSON_FIELD = Pattern.compile("people\\[(\\d{1,3})\\]\\.(.+)");

  /**
   * Form fields: {@code contact.name}, {@code contact.email}, {@code consent}, {@code language}, and per person
   * {@code people[i].FIELD} with the sign-up form's own field names ({@code people[0].name},
   * {@code people[0].need.horslinga} …). A row left wholly blank is no person (the form offers spare rows).
   */
  public static GroupInput fromForm(MultiMap form) {
    Map<Integer, MultiMap> rows = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : form.entries()) {
      Matcher m = PERSON_FIELD.matcher(e.getKey());
      if (m.matches()) {
        int index = Integer.parseInt(m.group(1));
        if (index < MAX_PEOPLE * 4) {
          rows.computeIfAbsent(index, k -> MultiMap.caseInsensitiveMultiMap()).add(m.group(2), e.getValue());
        }
      }
    }
    boolean consent = "true".equals(form.get("consent"));
    String language = form.get("language");
    List<RegistrationInput> people = new ArrayList<>();
    for (MultiMap row : rows.values()) {
      if (blank(row)) {
        continue;
      }
      row.set("consent", consent ? "true" : "false");
      if (language != null) {
        row.set("language", language);
      }
      people.add(RegistrationInput.fromForm(row));
    }
    return new GroupInput(form.get("contact.name"), form.get("contact.email"), language, consent, people);
  }

  /** Nothing typed or chosen in the row: no name, no address, no organisation, no need, no session. */
  private static boolean blank(MultiMap row) {
    for (Map.Entry<String, String> e : row.entries()) {
      if (e.getValue() != null && !e.getValue().isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** The same group with each person's typed organisation name as the list's inputs have it. */
  GroupInput withPeople(List<RegistrationInput> resolved) {
    return new GroupInput(contactName, contactEmail, language, consent, resolved);
  }

  /**
   * Checks everything that can be checked without the database, for every person at once: the contact, how many people
   * (1 to {@link #MAX_PEOPLE}), each person as a sign-up of their own (the address optional), and that nobody is in the
   * group twice – the same address of their own twice, or, for people signed up through the contact, the same name
   * twice (any letter case, spaces folded; see {@link #sameName}).
   */
  public Data validate() {
    FieldChecks checks = FieldChecks.forForm("group");
    String name = checks.text("contact.name", contactName, true, 200);
    String email = checks.email("contact.email", contactEmail, true);
    Map<String, Msg> errors = new LinkedHashMap<>();
    List<Person> checked = new ArrayList<>();
    try {
      checks.throwIfAny();
    } catch (ValidationException e) {
      errors.putAll(e.fields());
    }
    if (people.isEmpty()) {
      errors.put("people", Msg.of("error.group.noPeople"));
    } else if (people.size() > MAX_PEOPLE) {
      errors.put("people", Msg.of("error.group.tooMany", MAX_PEOPLE));
    } else {
      Map<String, Integer> addresses = new HashMap<>();
      Map<String, Integer> names = new HashMap<>();
      for (int i = 0; i < people.size(); i++) {
        String prefix = "people[" + i + "].";
        try {
          RegistrationInput.Data d = people.get(i).validate(FieldChecks.forForm("reg"), false);
          boolean viaContact = d.email() == null || (email != null && d.email().equalsIgnoreCase(email));
          if (viaContact) {
            Integer first = names.putIfAbsent(sameName(d.name()), i);
            if (first != null) {
              errors.put(prefix + "name", Msg.of("error.group.samePerson", first + 1));
            }
          } else {
            Integer first = addresses.putIfAbsent(d.email().toLowerCase(Locale.ROOT), i);
            if (first != null) {
              errors.put(prefix + "email", Msg.of("error.group.sameEmail", first + 1));
            }
          }
          checked.add(new Person(viaContact ? withoutEmail(d) : d, viaContact));
        } catch (ValidationException e) {
          e.fields().forEach((field, msg) -> {
            if (field.equals("consent") || field.equals("language")) {
              errors.putIfAbsent(field, msg);  // one answer for the whole group, asked once
            } else {
              errors.put(prefix + field, msg);
            }
          });
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String lang = RegistrationInput.blankToNull(language) == null ? "sv" : language.strip().toLowerCase(Locale.ROOT);
    return new Data(name, email, lang, List.copyOf(checked));
  }

  private static RegistrationInput.Data withoutEmail(RegistrationInput.Data d) {
    return new RegistrationInput.Data(d.name(), null, d.phone(), d.organisationId(), d.organisationName(), d.sector(),
        d.roleTitle(), d.sessions(), d.needs(), d.diet(), d.companion(), d.consent(), d.language());
  }

  /**
   * How "the same person" is decided for people without an address of their own: the same name in the same contact's
   * group, in any letter case and with spaces folded ("Anna  Berg" is "anna berg"). The database's unique index
   * ({@code registration_one_per_contact_name}) says the same.
   */
  static String sameName(String name) {
    return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  /** The request's fingerprint for its Idempotency-Key: the contact, the answers, and each person's own fingerprint. */
  public byte[] fingerprint(long eventId, String source) {
    JsonArray canonical = new JsonArray().add(eventId).add(source).add("group")
        .add(RegistrationInput.blankToNull(contactName))
        .add(contactEmail == null ? null : contactEmail.strip().toLowerCase(Locale.ROOT))
        .add(consent);
    for (RegistrationInput p : people) {
      canonical.add(java.util.HexFormat.of().formatHex(p.fingerprint(eventId, source)));
    }
    return Tokens.sha256(canonical.encode());
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
