package se.hok.samla.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The letters of Samla's PDFs – the ticket and the yearly follow-up – and what becomes of a letter a font lacks.
 *
 * <p>The font is DejaVu Sans, regular and bold, carried in the jar ({@code fonts/dejavu}, from the npm package
 * {@code dejavu-fonts-ttf}, pinned by checksum in the pom; its licence, Bitstream Vera's with DejaVu's changes in the
 * public domain, lies beside it). It covers every Latin script (å ä ö, Nguyễn, Łódź, Ørsted), Greek and Cyrillic, so
 * a PDF prints the same names on every machine, whatever fonts the host has. It is embedded as a subset of the
 * letters used. {@link #standard()} is Helvetica, which every PDF reader has and nothing needs embedding: for a
 * document written entirely in Windows-1252 letters (see {@link #winAnsi}).
 */
public final class PdfFonts {
  /** The two faces a document is set in. */
  public record Faces(PDFont regular, PDFont bold) {}

  private static final byte[] REGULAR = read("fonts/dejavu/DejaVuSans.ttf");
  private static final byte[] BOLD = read("fonts/dejavu/DejaVuSans-Bold.ttf");

  /**
   * Parsing the TrueType files is most of a ticket's cost, so each thread parses them once and keeps them (a parsed
   * font reads its glyphs lazily and is not safe to share between threads).
   */
  private static final ThreadLocal<TrueTypeFont[]> PARSED = new ThreadLocal<>();

  private PdfFonts() {}

  /** The name of the embedded font, for a document's metadata and for people who ask. */
  public static String name() {
    return "DejaVu Sans";
  }

  /** DejaVu Sans, embedded in {@code doc} as a subset of the letters it uses. */
  public static Faces embedded(PDDocument doc) throws IOException {
    TrueTypeFont[] fonts = PARSED.get();
    if (fonts == null) {
      fonts = new TrueTypeFont[] {
          new TTFParser().parse(new RandomAccessReadBuffer(REGULAR)),
          new TTFParser().parse(new RandomAccessReadBuffer(BOLD))};
      PARSED.set(fonts);
    }
    return new Faces(PDType0Font.load(doc, fonts[0], true), PDType0Font.load(doc, fonts[1], true));
  }

  /** Helvetica (Standard 14, WinAnsiEncoding, not embedded): for text {@link #winAnsi} says it can show. */
  public static Faces standard() {
    return new Faces(new PDType1Font(Standard14Fonts.FontName.HELVETICA),
        new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD));
  }

  /** Whether Helvetica (WinAnsiEncoding, which is Windows-1252) can show the text: no control characters either. */
  public static boolean winAnsi(String text) {
    return text == null || (java.nio.charset.Charset.forName("windows-1252").newEncoder().canEncode(text)
        && text.chars().noneMatch(ch -> ch < 0x20));
  }

  /**
   * Text as one document's fonts can show it. Never fails a document: composed (NFC), control characters as spaces
   * (line breaks kept), and each letter the font lacks replaced by the same letter with fewer accents (ễ → ê → e),
   * else by "?". Remembers per font what it can show; one per document.
   */
  public static final class Printable {
    private final Map<PDFont, Map<Integer, Boolean>> canShow = new HashMap<>();

    public String of(String text, PDFont font) {
      String nfc = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFC);
      StringBuilder out = new StringBuilder(nfc.length());
      nfc.codePoints().forEach(cp -> {
        if (cp == '\n') {
          out.append('\n');
        } else if (cp == '\r') {
          // \r\n is one line break; a lone \r is dropped
        } else if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
          out.append(' ');
        } else if (shows(font, cp)) {
          out.appendCodePoint(cp);
        } else {
          out.append(simpler(font, cp));
        }
      });
      return out.toString();
    }

    /** Whether the font has a glyph for this character. */
    public boolean shows(PDFont font, int cp) {
      return canShow.computeIfAbsent(font, f -> new HashMap<>()).computeIfAbsent(cp, c -> {
        int type = Character.getType(c);
        if (type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
          return false;
        }
        try {
          font.encode(new String(Character.toChars(c)));  // throws when the font has no glyph for it
          return true;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
          return false;
        }
      });
    }

    /** ễ → ê → e: drop combining marks from the end until the font has the letter. */
    private String simpler(PDFont font, int cp) {
      String decomposed = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
      while (decomposed.codePointCount(0, decomposed.length()) > 1) {
        decomposed = decomposed.substring(0, decomposed.offsetByCodePoints(decomposed.length(), -1));
        String composed = Normalizer.normalize(decomposed, Normalizer.Form.NFC);
        if (composed.codePointCount(0, composed.length()) == 1 && shows(font, composed.codePointAt(0))) {
          return composed;
        }
      }
      return "?";
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = PdfFonts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path (the build puts it there)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
