package se.hok.samla.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

/** The PDFs' font comes with Samla, and a letter a font lacks loses its accents, then becomes "?", never an error. */
class PdfFontsTest {

  @Test
  void theFontInTheJarShowsEveryLatinScript() throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PdfFonts.Faces faces = PdfFonts.embedded(doc);
      PdfFonts.Printable printable = new PdfFonts.Printable();
      String names = "Åsa Öberg-Nguyễn, Łukasz Żółć, Søren Ørsted, Ćevapi Šimić, Þórunn Ðórðardóttir, Ağaoğlu, Ελένη, Юлия";
      assertEquals(names, printable.of(names, faces.regular()));
      assertEquals(names, printable.of(names, faces.bold()));
      assertTrue(faces.regular().getName().contains("DejaVuSans"), faces.regular().getName());
    }
  }

  @Test
  void aLetterTheFontLacksLosesItsAccentsThenBecomesAQuestionMark() throws Exception {
    PdfFonts.Faces helvetica = PdfFonts.standard();
    PdfFonts.Printable printable = new PdfFonts.Printable();
    assertEquals("Nguyên ? ?", printable.of("Nguyễn 李 😀", helvetica.regular()), "ễ is not in Windows-1252, ê is");
    assertEquals("Tab and\nbreak", printable.of("Tab\tand\r\nbreak", helvetica.regular()));
    assertTrue(PdfFonts.winAnsi("Åsa Öberg, Zoë"));
    assertFalse(PdfFonts.winAnsi("Nguyễn"));
    assertFalse(PdfFonts.winAnsi("a\u0007b"));
  }
}
