package se.hok.samla.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureTreeRoot;

/**
 * What makes a PDF readable by a screen reader, checked through PDFBox (and through poppler's {@code pdfinfo}, which
 * must say "Tagged: yes", where it is installed): marked as tagged, a language and a title shown as the title, a
 * structure tree, every piece of text and every drawing the content of a structure element or an artifact, and the
 * parent tree leading back from each piece to its element.
 */
public final class TaggedPdfs {
  private TaggedPdfs() {}

  /** The document's structure, as a screen reader walks it. */
  public record Element(String type, String alternative, String actualText, List<Element> kids) {
    /** Every element of this type, depth first. */
    public List<Element> all(String wanted) {
      List<Element> out = new ArrayList<>();
      if (type.equals(wanted)) {
        out.add(this);
      }
      kids.forEach(k -> out.addAll(k.all(wanted)));
      return out;
    }
  }

  /** Asserts all of the above; returns the root element (Document) for more particular checks. */
  public static Element assertTagged(byte[] pdf, String language) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDDocumentCatalog catalog = doc.getDocumentCatalog();
      assertNotNull(catalog.getMarkInfo(), "MarkInfo");
      assertTrue(catalog.getMarkInfo().isMarked(), "MarkInfo Marked true");
      assertEquals(language, catalog.getLanguage(), "the document's language");
      String title = doc.getDocumentInformation().getTitle();
      assertTrue(title != null && !title.isBlank(), "a title");
      assertNotNull(catalog.getViewerPreferences(), "viewer preferences");
      assertTrue(catalog.getViewerPreferences().displayDocTitle(), "the title shown instead of the file name");
      PDStructureTreeRoot root = catalog.getStructureTreeRoot();
      assertNotNull(root, "a structure tree");
      List<Object> top = root.getKids();
      assertEquals(1, top.size(), "one Document element at the top");
      Element document = element((PDStructureElement) top.get(0));
      assertEquals("Document", document.type());

      COSDictionary parentTree = root.getParentTree().getCOSObject();
      COSArray nums = (COSArray) parentTree.getDictionaryObject(COSName.NUMS);
      assertNotNull(nums, "a parent tree");
      for (PDPage page : doc.getPages()) {
        Set<Integer> mcids = checkContent(page);
        COSArray parents = null;
        for (int i = 0; i + 1 < nums.size(); i += 2) {
          if (((org.apache.pdfbox.cos.COSInteger) nums.getObject(i)).intValue() == page.getStructParents()) {
            parents = (COSArray) nums.getObject(i + 1);
          }
        }
        assertNotNull(parents, "the page's entry in the parent tree");
        for (int mcid : mcids) {
          assertTrue(mcid < parents.size() && parents.getObject(mcid) instanceof COSDictionary,
              "marked content " + mcid + " leads back to its element");
        }
      }
      pdfinfoSaysTagged(pdf);
      return document;
    }
  }

  private static Element element(PDStructureElement e) {
    List<Element> kids = new ArrayList<>();
    for (Object kid : e.getKids()) {
      if (kid instanceof PDStructureElement child) {
        kids.add(element(child));
      }
    }
    return new Element(e.getStructureType(), e.getAlternateDescription(), e.getActualText(), kids);
  }

  /**
   * Every text shown and every path painted lies in marked content: text in content with an MCID (an element's),
   * paths in an element's or an artifact's. Returns the page's MCIDs.
   */
  private static Set<Integer> checkContent(PDPage page) throws IOException {
    PDFStreamParser parser = new PDFStreamParser(page);
    List<Object> tokens = parser.parse();
    Deque<Integer> open = new ArrayDeque<>();  // the MCID of each open marked content, -1 for an artifact
    Set<Integer> mcids = new HashSet<>();
    List<COSBase> operands = new ArrayList<>();
    for (Object token : tokens) {
      if (!(token instanceof Operator op)) {
        operands.add(token instanceof COSObject o ? o.getObject() : (COSBase) token);
        continue;
      }
      switch (op.getName()) {
        case "BDC" -> {
          COSBase props = operands.get(operands.size() - 1);
          int mcid = props instanceof COSDictionary d && d.containsKey(COSName.MCID) ? d.getInt(COSName.MCID) : -1;
          if (mcid >= 0 && !mcids.add(mcid)) {
            fail("MCID " + mcid + " used twice on a page");
          }
          open.push(mcid);
        }
        case "BMC" -> open.push(COSName.ARTIFACT.equals(operands.get(operands.size() - 1)) ? -1 : -2);
        case "EMC" -> open.pop();
        case "Tj", "TJ", "'", "\"" -> assertTrue(!open.isEmpty() && open.peek() >= 0, "text outside the structure");
        case "f", "F", "f*", "S", "s", "B", "B*", "b", "b*" -> assertTrue(!open.isEmpty(), "a drawing neither content nor artifact");
        default -> { }
      }
      operands.clear();
    }
    assertTrue(open.isEmpty(), "marked content closed");
    return mcids;
  }

  /** Poppler's pdfinfo, as people check a PDF: "Tagged: yes". Where it is not installed, PDFBox's checks stand. */
  private static void pdfinfoSaysTagged(byte[] pdf) throws IOException {
    Path pdfinfo = Path.of("/usr/bin/pdfinfo");
    if (!Files.isExecutable(pdfinfo)) {
      System.out.println("[TaggedPdfs] pdfinfo is not installed (Debian: apt-get install poppler-utils); "
          + "tagging checked through PDFBox only");
      return;
    }
    Path file = Files.createTempFile("samla-tagged-", ".pdf");
    try {
      Files.write(file, pdf);
      Process p = new ProcessBuilder(pdfinfo.toString(), file.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "pdfinfo finished");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      assertTrue(out.matches("(?s).*Tagged:\\s+yes.*"), "pdfinfo says: " + out);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
