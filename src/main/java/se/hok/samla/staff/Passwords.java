package se.hok.samla.staff;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import com.password4j.Password;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Msg;

/**
 * What a staff password must be: at least 12 characters, not only spaces, not the person's own name or e-mail
 * address, and not easy to guess – measured by zxcvbn (Dropbox's estimator, as zxcvbn4j), which knows the most
 * common passwords, keyboard walks, repeats, sequences and dates. The answer says why, in the reader's language.
 * Measuring takes a few milliseconds (more for long passwords), so pages call {@link #check} off the event loop.
 */
public final class Passwords {
  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 200;
  /** The name StaffService.bootstrapAdmin gives the first admin (from SAMLA_ADMIN_EMAIL / SAMLA_ADMIN_PASSWORD). */
  public static final String ADMIN_NAME = "Administratör";
  /** zxcvbn's score 3: about 10^8 guesses, "safely unguessable" for an online attack that is also throttled. */
  private static final int MIN_SCORE = 3;
  /** Only the start is measured: its strength is a lower bound for the whole, and zxcvbn slows with length. */
  private static final int MEASURED = 64;
  /** Shorter parts of a name or address ("Li", "jo") are too common to forbid. */
  private static final int PERSONAL_PART = 3;
  private static final Set<String> COMMON = Set.of(Feedback.DICTIONARY_WARNING_PASSWORDS_TOP10,
      Feedback.DICTIONARY_WARNING_PASSWORDS_TOP100, Feedback.DICTIONARY_WARNING_PASSWORDS_VERY_COMMON,
      Feedback.DICTIONARY_WARNING_PASSWORDS_SIMILAR);

  /** Feedback "messages" that are the message keys themselves, so the reason can be said in Swedish too. */
  private static final ResourceBundle KEYS = new ResourceBundle() {
    @Override
    protected Object handleGetObject(String key) {
      return key;
    }

    @Override
    public Enumeration<String> getKeys() {
      return Collections.emptyEnumeration();
    }
  };

  private Passwords() {}

  /** Loaded once (the dictionaries take a moment); measuring is thread-safe. */
  private static final class Estimator {
    static final Zxcvbn ZXCVBN = new Zxcvbn();
  }

  /** Checks the password off the event loop. */
  static Future<Optional<Msg>> check(Vertx vertx, String password, String email, String name) {
    return vertx.executeBlocking(() -> problem(password, email, name));
  }

  /** Argon2id, off the event loop. */
  static Future<String> hash(Vertx vertx, String password) {
    return vertx.executeBlocking(() -> Password.hash(password).addRandomSalt().withArgon2().getResult());
  }

  /** The first admin's password from the configuration: why it is not accepted, in English (Config says it so). */
  public static Optional<String> adminProblem(String password, String email) {
    return problem(password, email, ADMIN_NAME).map(problem -> Messages.get(Lang.EN, problem));
  }

  /** Why this password is not accepted for the person with this address and name, or empty when it is. */
  static Optional<Msg> problem(String password, String email, String name) {
    if (password == null || password.isEmpty()) {
      return Optional.of(Msg.of("password.required"));
    }
    if (password.strip().isEmpty()) {
      return Optional.of(Msg.of("password.onlySpaces"));
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      return Optional.of(Msg.of("password.tooShort", MIN_LENGTH));
    }
    if (length > MAX_LENGTH) {
      return Optional.of(Msg.of("password.tooLong", MAX_LENGTH));
    }
    if (password.indexOf('\0') >= 0) {
      return Optional.of(Msg.of("error.invalidCharacter"));
    }
    List<String> personal = personalWords(email, name);
    String lower = password.toLowerCase(Locale.ROOT);
    for (String word : personal) {
      if (lower.contains(word)) {
        return Optional.of(Msg.of("password.personal"));
      }
    }
    String measured = password.length() > MEASURED ? password.substring(0, MEASURED) : password;
    Strength strength = Estimator.ZXCVBN.measure(measured, personal);
    if (strength.getScore() >= MIN_SCORE) {
      return Optional.empty();
    }
    String warning = strength.getFeedback().replaceResourceBundle(Map.of(Locale.ROOT, KEYS)).getWarning(Locale.ROOT);
    if (COMMON.contains(warning)) {
      return Optional.of(Msg.of("password.common"));
    }
    return Optional.of(Msg.of("password.weak." + (warning == null || warning.isEmpty() ? "guessable" : warning)));
  }

  /** The parts of a person's name and address that a password must not contain. */
  static List<String> personalWords(String email, String name) {
    Set<String> words = new LinkedHashSet<>();
    if (email != null) {
      String local = email.strip().toLowerCase(Locale.ROOT);
      int at = local.indexOf('@');
      if (at > 0) {
        local = local.substring(0, at);
      }
      words.add(local);
      words.addAll(List.of(local.split("[._+\\-]+")));
    }
    if (name != null) {
      words.addAll(List.of(name.strip().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
    }
    List<String> out = new ArrayList<>();
    for (String w : words) {
      if (w.length() >= PERSONAL_PART) {
        out.add(w);
      }
    }
    return out;
  }
}
