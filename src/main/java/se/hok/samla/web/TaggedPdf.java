package se.hok.samla.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.COSObjectable;
import org.apache.pdfbox.pdmodel.common.PDNumberTreeNode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkedContentReference;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDObjectReference;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDParentTreeValue;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureTreeRoot;
import org.apache.pdfbox.pdmodel.documentinterchange.taggedpdf.PDLayoutAttributeObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.viewerpreferences.PDViewerPreferences;

/**
 * A tagged PDF (ISO 32000-1, 14.8), so that screen readers read Samla's PDFs – the ticket, the yearly follow-up – in
 * order, as headings, paragraphs, lists and tables, in the document's language, with a text alternative for images.
 *
 * <p>The document gets a title (shown instead of the file name), a language, {@code /MarkInfo <</Marked true>>} and
 * a structure tree: a {@code Document} element whose children are added in reading order. Whatever is drawn is either
 * the content of one element ({@link #begin}/{@link #end}: marked content with an MCID, referenced from the element and
 * listed in the parent tree) or an {@link #artifact} (rules, backgrounds), which readers skip. A link annotation is
 * tied to its {@code Link} element by an object reference ({@link #annotation}). Call {@link #finish} before saving.
 */
public final class TaggedPdf {
  private final PDStructureTreeRoot root;
  private final PDStructureElement document;
  /** Per page: its key in the parent tree, and the element of each of its marked-content ids, in order. */
  private final Map<PDPage, Integer> pageKeys = new LinkedHashMap<>();
  private final Map<PDPage, List<PDStructureElement>> byMcid = new HashMap<>();
  /** Annotations' keys in the parent tree, with the element each belongs to. */
  private final Map<Integer, PDStructureElement> annotationParents = new LinkedHashMap<>();
  private int nextKey;

  /** @param language a BCP 47 tag, e.g. {@code sv-SE} */
  public TaggedPdf(PDDocument doc, String language, String title) {
    PDDocumentCatalog catalog = doc.getDocumentCatalog();
    catalog.setLanguage(language);
    PDMarkInfo mark = new PDMarkInfo();
    mark.setMarked(true);
    catalog.setMarkInfo(mark);
    PDViewerPreferences prefs = new PDViewerPreferences(new org.apache.pdfbox.cos.COSDictionary());
    prefs.setDisplayDocTitle(true);
    catalog.setViewerPreferences(prefs);
    doc.getDocumentInformation().setTitle(title.replaceAll("\\p{Cntrl}", " "));
    root = new PDStructureTreeRoot();
    catalog.setStructureTreeRoot(root);
    document = new PDStructureElement("Document", root);
    document.setLanguage(language);
    document.setTitle(title);
    root.appendKid(document);
  }

  /** The root element; the document's top-level elements go in it. */
  public PDStructureElement document() {
    return document;
  }

  /** A new element of a standard type (P, H1, H2, L, LI, Lbl, LBody, Table, TR, TH, TD, Figure, Link …), last in parent. */
  public PDStructureElement element(PDStructureElement parent, String type) {
    PDStructureElement e = new PDStructureElement(type, parent);
    parent.appendKid(e);
    return e;
  }

  /** A figure with its text alternative (what it is and what it is for) and where it lies on the page. */
  public PDStructureElement figure(PDStructureElement parent, String alternative, PDRectangle bounds) {
    PDStructureElement figure = element(parent, "Figure");
    figure.setAlternateDescription(alternative);
    PDLayoutAttributeObject layout = new PDLayoutAttributeObject();
    layout.setBBox(bounds);
    figure.addAttribute(layout);
    return figure;
  }

  /** What is drawn until {@link #end} is (part of) {@code element}'s content, on {@code page}. */
  public void begin(PDPageContentStream out, PDPage page, PDStructureElement element) throws IOException {
    List<PDStructureElement> mcids = byMcid.computeIfAbsent(page, p -> new ArrayList<>());
    if (!pageKeys.containsKey(page)) {
      int key = nextKey++;
      pageKeys.put(page, key);
      page.setStructParents(key);
    }
    int mcid = mcids.size();
    mcids.add(element);
    out.beginMarkedContent(COSName.getPDFName(element.getStructureType()), mcid);
    PDMarkedContentReference ref = new PDMarkedContentReference();
    ref.setPage(page);
    ref.setMCID(mcid);
    element.appendKid(ref);
  }

  public void end(PDPageContentStream out) throws IOException {
    out.endMarkedContent();
  }

  /** What is drawn until {@link #end} only decorates (a rule, a background): readers skip it. */
  public void artifact(PDPageContentStream out) throws IOException {
    out.beginMarkedContent(COSName.ARTIFACT);
  }

  /** Ties a (link) annotation on the page to its element, and makes the page's tab order follow the structure. */
  public void annotation(PDPage page, PDAnnotation annotation, PDStructureElement element) {
    int key = nextKey++;
    annotation.setStructParent(key);
    annotationParents.put(key, element);
    PDObjectReference ref = new PDObjectReference();
    ref.setReferencedObject(annotation);
    ref.setPage(page);
    element.appendKid(ref);
    page.getCOSObject().setName(COSName.getPDFName("Tabs"), "S");
  }

  /** Writes the parent tree (from each page's content and each annotation back to its element). */
  public void finish() {
    Map<Integer, COSObjectable> numbers = new LinkedHashMap<>();
    pageKeys.forEach((page, key) -> {
      COSArray elements = new COSArray();
      byMcid.get(page).forEach(e -> elements.add(e.getCOSObject()));
      numbers.put(key, new PDParentTreeValue(elements));
    });
    annotationParents.forEach((key, element) -> numbers.put(key, new PDParentTreeValue(element.getCOSObject())));
    PDNumberTreeNode tree = new PDNumberTreeNode(PDParentTreeValue.class);
    tree.setNumbers(numbers);
    root.setParentTree(tree);
    root.setParentTreeNextKey(nextKey);
  }
}
