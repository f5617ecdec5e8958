package se.hok.samla.mail;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.NotFoundException;
import se.hok.samla.web.Templates;

/**
 * {@code /dev/mail}: what the local mail catcher received, readable in the browser. Default mode only, and for admins
 * only: every e-mail holds a participant's personal manage link.
 */
final class DevMailPages {
  private final DevMailCatcher catcher;
  private final StaffAuth auth;
  private final Templates templates;

  DevMailPages(DevMailCatcher catcher, StaffAuth auth, Templates templates) {
    this.catcher = catcher;
    this.auth = auth;
    this.templates = templates;
  }

  public record Summary(int index, String from, String to, String subject, String sent) {}

  public record PartView(int index, String contentType, String filename, String disposition) {}

  void mount(Router router) {
    router.get("/dev/mail").handler(auth.page(Permission.ADMINISTER)).blockingHandler(this::list);
    router.get("/dev/mail/:n").handler(auth.page(Permission.ADMINISTER)).blockingHandler(this::show);
    router.get("/dev/mail/:n/html").handler(auth.page(Permission.ADMINISTER)).blockingHandler(this::html);
    router.get("/dev/mail/:n/part/:p").handler(auth.page(Permission.ADMINISTER)).blockingHandler(this::part);
  }

  private void list(RoutingContext ctx) {
    List<MimeMessage> messages = catcher.messages();
    List<Summary> out = new ArrayList<>();
    try {
      for (int i = 0; i < messages.size(); i++) {
        out.add(summary(i, messages.get(i)));
      }
    } catch (Exception e) {
      ctx.fail(e);
      return;
    }
    templates.render(ctx, "dev/mail-list", Map.of("messages", out)).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    try {
      int n = index(ctx, "n");
      MimeMessage m = message(n);
      List<PartView> parts = new ArrayList<>();
      List<Part> leaves = leaves(m);
      String text = null;
      boolean hasHtml = false;
      for (int i = 0; i < leaves.size(); i++) {
        Part p = leaves.get(i);
        parts.add(new PartView(i, p.getContentType(), p.getFileName(), p.getDisposition()));
        if (text == null && p.isMimeType("text/plain") && p.getFileName() == null) {
          text = String.valueOf(p.getContent());
        }
        hasHtml |= p.isMimeType("text/html");
      }
      Map<String, Object> model = new HashMap<>();
      model.put("m", summary(n, m));
      model.put("parts", parts);
      model.put("text", text);
      model.put("hasHtml", hasHtml);
      templates.render(ctx, "dev/mail-show", model).onFailure(ctx::fail);
    } catch (NotFoundException e) {
      ctx.fail(e);
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  /** The HTML body, with cid: images pointing at their parts, in a sandbox with no scripts. */
  private void html(RoutingContext ctx) {
    try {
      int n = index(ctx, "n");
      List<Part> leaves = leaves(message(n));
      String html = null;
      for (int i = 0; i < leaves.size(); i++) {
        Part p = leaves.get(i);
        if (html == null && p.isMimeType("text/html")) {
          html = String.valueOf(p.getContent());
        }
      }
      if (html == null) {
        throw new NotFoundException("html part");
      }
      for (int i = 0; i < leaves.size(); i++) {
        String[] ids = leaves.get(i).getHeader("Content-ID");
        if (ids != null && ids.length > 0) {
          String cid = ids[0].replaceAll("[<>]", "");
          html = html.replace("cid:" + cid, "/dev/mail/" + n + "/part/" + i);
        }
      }
      ctx.response()
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'")
          .end(html);
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  private void part(RoutingContext ctx) {
    try {
      List<Part> leaves = leaves(message(index(ctx, "n")));
      int p = index(ctx, "p");
      if (p >= leaves.size()) {
        throw new NotFoundException("part");
      }
      Part part = leaves.get(p);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = part.getInputStream()) {
        in.transferTo(out);
      }
      String type = part.getContentType().split(";")[0].trim();
      ctx.response()
          .putHeader("Content-Type", type)
          .putHeader("Content-Security-Policy", "sandbox")
          .putHeader("X-Content-Type-Options", "nosniff");
      if (part.getFileName() != null) {
        ctx.response().putHeader("Content-Disposition", "inline; filename=\"" + part.getFileName().replace("\"", "") + "\"");
      }
      ctx.response().end(Buffer.buffer(out.toByteArray()));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  private MimeMessage message(int n) {
    List<MimeMessage> messages = catcher.messages();
    if (n < 0 || n >= messages.size()) {
      throw new NotFoundException("message");
    }
    return messages.get(n);
  }

  private static int index(RoutingContext ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new NotFoundException(name);
    }
  }

  private static Summary summary(int i, MimeMessage m) throws Exception {
    return new Summary(i, join(m.getFrom()), join(m.getRecipients(Message.RecipientType.TO)), m.getSubject(),
        m.getSentDate() == null ? "" : m.getSentDate().toInstant().toString());
  }

  private static String join(jakarta.mail.Address[] addresses) {
    if (addresses == null) {
      return "";
    }
    return String.join(", ", java.util.Arrays.stream(addresses).map(a -> a.toString()).toList());
  }

  static List<Part> leaves(Part part) throws Exception {
    List<Part> out = new ArrayList<>();
    if (part.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) part.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart bp = mp.getBodyPart(i);
        out.addAll(leaves(bp));
      }
    } else {
      out.add(part);
    }
    return out;
  }
}
