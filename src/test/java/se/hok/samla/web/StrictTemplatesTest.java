package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import se.hok.samla.mail.MailRenderer;

/**
 * The tests run with strict templates, so a misspelt variable in a page or an e-mail fails the test that renders it
 * instead of showing a blank: this class fails when that switch (the pom's {@code samla.templates.strict}) is off, or
 * when the engines the pages and the e-mails use stop following it. In production the same page still renders.
 */
class StrictTemplatesTest {
  private static final String MISSPELT = "se/hok/samla/web/misspelt.peb";
  private static final Map<String, Object> MODEL = Map.of("event", Map.of("title", "Årsmöte"));

  @Test
  void theTestsRunWithStrictTemplates() {
    assertTrue(Templates.strict(), "samla.templates.strict is set for the tests (pom, surefire)");
  }

  @Test
  void aMisspeltVariableFailsThePageInTheTestsAndRendersBlankInProduction() {
    PebbleException refused = assertThrows(PebbleException.class, () -> render(Templates.pebble(), MISSPELT, MODEL));
    assertTrue(refused.getMessage().contains("[evnt]"), refused.getMessage());
    assertEquals("<h1></h1>", render(Templates.pebble(false), MISSPELT, MODEL).strip(), "production: the page still renders");
  }

  @Test
  void anEmailWithAVariableThatIsNotThereFailsInTheTests() {
    MailRenderer.Compiled mail = MailRenderer.compile();
    for (PebbleTemplate template : new PebbleTemplate[] {mail.html(), mail.text()}) {
      PebbleException refused = assertThrows(PebbleException.class, () -> evaluate(template, Map.of("brand", "HÖK")),
          template.getName());
      assertTrue(refused.getMessage().contains("[m]"), refused.getMessage());
    }
  }

  private static String render(PebbleEngine engine, String name, Map<String, Object> model) {
    return evaluate(engine.getTemplate(name), model);
  }

  private static String evaluate(PebbleTemplate template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      template.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
