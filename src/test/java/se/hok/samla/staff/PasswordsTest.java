package se.hok.samla.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nulabinc.zxcvbn.Feedback;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.Msg;

/** What a staff password must be, and that every refusal says why in Swedish and English. */
class PasswordsTest {
  static String why(String password, String email, String name, Lang lang) {
    Optional<Msg> problem = Passwords.problem(password, email, name);
    assertTrue(problem.isPresent(), "refused: " + password);
    return Messages.get(lang, problem.get());
  }

  @Test
  void commonAndPatternedPasswordsAreRefusedWithAReason() {
    String email = "olle@test.example";
    String name = "Olle Organisatör";
    assertEquals("Lösenordet är ett av de vanligaste lösenorden, eller nästan ett, och gissas lätt. Välj ett annat.",
        why("password1234", email, name, Lang.SV));
    assertTrue(why("password1234", email, name, Lang.EN).startsWith("The password is one of the most common passwords"));
    assertTrue(why("qwertyuiop12", email, name, Lang.SV).contains("vanligaste"), "a keyboard walk that is a common password");
    assertTrue(why("aaaaaaaaaaaa", email, name, Lang.SV).startsWith("Lösenordet är för lätt att gissa"));
    assertEquals("Lösenordet får inte bara bestå av mellanslag.", why("            ", email, name, Lang.SV));
    assertEquals("Lösenordet måste ha minst 12 tecken.", why("kort-Ord-7", email, name, Lang.SV));
    assertEquals("Lösenordet får inte innehålla ditt namn eller din e-postadress.",
        why("Olle-gillar-blabar-och-hav", email, name, Lang.SV));
    assertEquals("The password must not contain your name or your e-mail address.",
        why("organisatör-i-halland-99", email, name, Lang.EN));
    assertEquals(Optional.empty(), Passwords.problem("grus-och-gran-vid-havet-9", email, name));
    assertEquals(Optional.empty(), Passwords.problem("Vintergatan-ljus-gran-7-" + "y".repeat(150), email, name),
        "long passwords are measured by their start, and a strong start is enough");
    assertEquals("Lösenordet får ha högst 200 tecken.", why("z".repeat(201), email, name, Lang.SV));
  }

  @Test
  void everyReasonTheEstimatorCanGiveHasATextInBothLanguages() throws Exception {
    for (Field f : Feedback.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getName().contains("_WARNING_") && !f.getName().contains("PASSWORDS")) {
        String key = "password.weak." + f.get(null);
        for (Lang lang : Lang.values()) {
          assertNotEquals(key, Messages.get(lang, key), "a text for " + key + " in " + lang);
          assertTrue(Messages.all(lang).containsKey(key), key + " in " + lang);
        }
      }
    }
  }
}
