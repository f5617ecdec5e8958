package se.hok.samla.registration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The fingerprint stored with an Idempotency-Key: the same request in any form, never another one. */
class RegistrationInputTest {
  static final JsonObject JSON = new JsonObject().put("name", "Åsa Öberg").put("email", "asa@example.org")
      .put("sessions", new JsonArray().add(12).add(7)).put("diet", new JsonArray().add("vegansk").add("halal"))
      .put("needs", new JsonArray().add(new JsonObject().put("code", "annat").put("detail", "Vilrum"))
          .add(new JsonObject().put("code", "horslinga")))
      .put("consent", true);

  static byte[] fingerprint(RegistrationInput input) {
    return input.fingerprint(42, "web");
  }

  @Test
  void theSameRequestAsAFormOrAsJsonInAnyOrderAndLetterCaseHasOneFingerprint() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("need.horslinga", "on").add("need.annat", "on").add("needDetail.annat", " Vilrum ")
        .add("session.0", "7").add("session.1", "12").add("diet", "halal").add("diet", "vegansk")
        .add("consent", "true").add("email", " ASA@example.org").add("name", "Åsa Öberg ").add("language", "");
    assertArrayEquals(fingerprint(RegistrationInput.fromJson(JSON)), fingerprint(RegistrationInput.fromForm(form)));
  }

  @Test
  void anyChangeOfWhatWouldBeStoredIsAnotherRequest() {
    byte[] original = fingerprint(RegistrationInput.fromJson(JSON));
    for (JsonObject changed : new JsonObject[] {
        JSON.copy().put("email", "annan@example.org"), JSON.copy().put("name", "Åsa Oberg"),
        JSON.copy().put("phone", "070-1234567"), JSON.copy().put("companion", true), JSON.copy().put("language", "en"),
        JSON.copy().put("sessions", new JsonArray().add(12)), JSON.copy().put("diet", new JsonArray()),
        JSON.copy().put("needs", new JsonArray().add(new JsonObject().put("code", "annat").put("detail", "Vila")))}) {
      assertFalse(Arrays.equals(original, fingerprint(RegistrationInput.fromJson(changed))), changed.encode());
    }
    assertFalse(Arrays.equals(original, RegistrationInput.fromJson(JSON).fingerprint(43, "web")), "another event");
    assertFalse(Arrays.equals(original, RegistrationInput.fromJson(JSON).fingerprint(42, "organiser")), "another caller");
  }
}
