package se.hok.samla.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import se.hok.samla.events.Venue;
import se.hok.samla.support.TaggedPdfs;

/** The PDF ticket: opens, says what it must in the person's own letters, and carries a QR code that scans. */
class TicketPdfTest {
  static final String CODE = TicketCode.encode(1, 4711, 42, TicketCodeTest.EVENT.getPrivate());
  static final String NAME = "Åsa Öberg-Nguyễn";

  static TicketPdf.Content content(String participant, List<String> needs) {
    Venue venue = new Venue(1, "Tjärnhovs konferens", "Stationsgatan 1, Halmstad", true, true, false, false,
        "Ramp vid södra entrén. Hörslingan täcker hela salen.");
    return new TicketPdf.Content("Samverkanskonferens 2026 – Öppenhet och insyn",
        TicketPdf.when(OffsetDateTime.parse("2026-04-14T09:00+02:00"), OffsetDateTime.parse("2026-04-14T16:00+02:00"), "sv"),
        "Tjärnhovs konferens, Stationsgatan 1, Halmstad", participant, true, CODE, "HÖK-7Q4M-9XK2",
        TicketPdf.accessibility(venue, "sv"), needs, "https://samla.example/anmalan/abcDEF123_-xyz", "sv");
  }

  @Test
  void theTicketSaysWhatItMust() throws Exception {
    byte[] pdf = TicketPdf.render(content(NAME, List.of("Hörslinga/teleslinga", "Specialkost/allergi: nötter")));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertEquals(1, doc.getNumberOfPages());
      // Lines joined: a long title wraps.
      String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
      assertTrue(text.contains("Samverkanskonferens 2026 – Öppenhet och insyn"), text);
      assertTrue(text.contains("HÖK-7Q4M-9XK2"), text);
      assertTrue(text.contains("Tisdag 14 april 2026, 09:00–16:00"), text);
      assertTrue(text.contains("Tjärnhovs konferens, Stationsgatan 1, Halmstad"), text);
      assertTrue(text.contains("Hörslinga: Ja"), text);
      assertTrue(text.contains("Tillgänglig toalett: Nej"), text);
      assertTrue(text.contains("Ramp vid södra entrén"), text);
      assertTrue(text.contains("Specialkost/allergi: nötter"), text);
      assertTrue(text.contains("Ledsagare eller personlig assistent Ja, med egen plats"), text);
      assertTrue(text.contains("https://samla.example/anmalan/abcDEF123_-xyz"), text);
      // In DejaVu Sans from the jar, whatever fonts the host has.
      assertTrue(text.contains(NAME), text);

      assertEquals(List.of(), images(doc.getPage(0)), "the QR is drawn as vector squares, not embedded as an image");
      assertEquals(CODE, Scans.readPage(page(doc, 0)), "the QR code in the PDF, as printed, scans to the ticket code");

      PDAnnotationLink link = (PDAnnotationLink) doc.getPage(0).getAnnotations().get(0);
      assertEquals("https://samla.example/anmalan/abcDEF123_-xyz", ((PDActionURI) link.getAction()).getURI());
      assertEquals("sv-SE", doc.getDocumentCatalog().getLanguage());
      assertTrue(doc.getDocumentInformation().getTitle().startsWith("Biljett – "));
    }
  }

  @Test
  void theTicketIsATaggedPdfThatAScreenReaderReadsInOrderAndItsQrCodeSaysWhatItIs() throws Exception {
    TaggedPdfs.Element doc = TaggedPdfs.assertTagged(TicketPdf.render(content(NAME, List.of("Hörslinga/teleslinga"))), "sv-SE");
    assertEquals(List.of("P", "H1", "P", "P", "P", "P", "Figure", "P", "P", "H2", "L", "H2", "L", "H2", "P"),
        doc.kids().stream().map(TaggedPdfs.Element::type).toList(), "the ticket's parts in reading order");
    List<TaggedPdfs.Element> figures = doc.all("Figure");
    assertEquals(1, figures.size(), "the QR code is the one figure");
    assertEquals("QR-kod för biljett HÖK-7Q4M-9XK2 till Samverkanskonferens 2026 – Öppenhet och insyn. Visa den i entrén.",
        figures.get(0).alternative());
    assertEquals(2, doc.all("L").size(), "the venue's facts and the needs are lists");
    assertEquals(1, doc.all("Link").size(), "the manage link is a link");
    // A second page (long lists) is tagged as well; English is English.
    List<String> needs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      needs.add("Need number " + i);
    }
    TicketPdf.Content c = content(NAME, needs);
    TaggedPdfs.assertTagged(TicketPdf.render(new TicketPdf.Content(c.eventTitle(), c.when(), c.place(), c.participant(), false,
        c.code(), c.reference(), c.accessibility(), needs, c.manageUrl(), "en")), "en-GB");
  }

  @Test
  void aNameBeyondWindows1252IsSetInTheFontFromTheJarAndALatin1TicketInHelvetica() throws Exception {
    try (PDDocument doc = Loader.loadPDF(TicketPdf.render(content(NAME, List.of())))) {
      PDResources resources = doc.getPage(0).getResources();
      for (COSName name : resources.getFontNames()) {
        assertTrue(resources.getFont(name).isEmbedded(), name.getName());
        assertTrue(resources.getFont(name).getName().contains("DejaVuSans"), resources.getFont(name).getName());
      }
    }
    try (PDDocument doc = Loader.loadPDF(TicketPdf.render(content("Åsa Öberg", List.of())))) {
      PDResources resources = doc.getPage(0).getResources();
      for (COSName name : resources.getFontNames()) {
        assertFalse(resources.getFont(name).isEmbedded(), "Helvetica, which every reader has: " + name.getName());
      }
    }
  }

  @Test
  void aLetterNoFontHasBecomesAQuestionMarkRatherThanFail() throws Exception {
    byte[] pdf = TicketPdf.render(content(NAME + " 李 한", List.of("Teckenspråkstolk")));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains(NAME + " ? ?"), "DejaVu Sans has ễ, not 李 or 한: " + text);
      assertTrue(text.contains("Teckenspråkstolk"), text);
      assertTrue(text.contains("HÖK-7Q4M-9XK2"), text);
      assertEquals(CODE, Scans.readPage(page(doc, 0)));
    }
  }

  @Test
  void anyNameRendersAndNothingCrashes() throws Exception {
    List<String> names = List.of("李小龍", "محمد الأحمد", "Zoë 😀 Ünal", "\u0000\u0007Tab\tand\r\nbreak", "\uD800lone surrogate",
        "a\u0301\u0323 combining", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "", "x".repeat(3000));
    for (String name : names) {
      byte[] pdf = TicketPdf.render(content(name, List.of(name, "")));
      try (PDDocument doc = Loader.loadPDF(pdf)) {
        assertFalse(new PDFTextStripper().getText(doc).isBlank());
      }
    }
    // Nothing at all but the code.
    byte[] bare = TicketPdf.render(new TicketPdf.Content(null, null, null, null, false, CODE, null, null, null, null, null));
    try (PDDocument doc = Loader.loadPDF(bare)) {
      assertEquals(CODE, Scans.readPage(page(doc, 0)));
    }
  }

  @Test
  void longListsGoOnANewPageAndEnglishWorks() throws Exception {
    List<String> needs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      needs.add("Behov nummer " + i + " med en lång förklaring som bryts över flera rader när den inte får plats på en rad");
    }
    TicketPdf.Content c = content(NAME, needs);
    TicketPdf.Content en = new TicketPdf.Content(c.eventTitle(),
        TicketPdf.when(OffsetDateTime.parse("2026-04-14T09:00+02:00"), OffsetDateTime.parse("2026-04-15T16:00+02:00"), "en"),
        c.place(), c.participant(), false, c.code(), c.reference(), c.accessibility(), needs, c.manageUrl(), "en");
    try (PDDocument doc = Loader.loadPDF(TicketPdf.render(en))) {
      assertTrue(doc.getNumberOfPages() >= 2);
      String text = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
      assertTrue(text.contains("Tuesday 14 April 2026 09:00 – Wednesday 15 April 2026 16:00"), text);
      assertTrue(text.contains("Behov nummer 59"), text);
      assertTrue(text.contains("Change or cancel your registration"), text);
      assertEquals(CODE, Scans.readPage(page(doc, 0)));
    }
  }

  /** A page as a printer or a PDF viewer draws it, at 150 dpi (about 8 pixels a QR module). */
  static BufferedImage page(PDDocument doc, int index) throws Exception {
    return new PDFRenderer(doc).renderImageWithDPI(index, 150, ImageType.GRAY);
  }

  static List<BufferedImage> images(PDPage page) throws Exception {
    List<BufferedImage> out = new ArrayList<>();
    for (COSName name : page.getResources().getXObjectNames()) {
      PDXObject x = page.getResources().getXObject(name);
      if (x instanceof PDImageXObject image) {
        out.add(image.getImage());
      }
    }
    return out;
  }
}
