package se.hok.samla.events;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Lang;
import se.hok.samla.web.Messages;
import se.hok.samla.web.PathIds;
import se.hok.samla.web.Templates;

/** Where organisers accept the organisation names people typed when signing up ("Nya organisationsnamn"). */
public final class OrganisationPages {
  private final OrganisationNames names;
  private final StaffAuth auth;
  private final Templates templates;

  public OrganisationPages(OrganisationNames names, StaffAuth auth, Templates templates) {
    this.names = names;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get("/arrangor/organisationer").handler(auth.page(Permission.ORGANISE)).handler(this::list);
    router.post("/arrangor/organisationer/:id/godkann").handler(auth.page(Permission.ORGANISE)).handler(this::accept);
  }

  private void list(RoutingContext ctx) {
    Lang lang = Lang.of(ctx);
    names.pending().compose(pending -> {
      Map<String, Object> model = new HashMap<>();
      model.put("pending", pending.stream().map(p -> {
        Map<String, Object> row = new HashMap<>();
        row.put("id", p.id());
        row.put("name", p.name());
        row.put("sector", Messages.get(lang, "sector." + p.sector()));
        row.put("registrations", p.registrations());
        row.put("like", p.like() == null ? null : Messages.get(lang, "org.pending.like", p.like()));
        return row;
      }).toList());
      model.put("accepted", ctx.queryParams().get("godkand"));
      return templates.render(ctx, "organiser/organisations", model);
    }).onFailure(ctx::fail);
  }

  private void accept(RoutingContext ctx) {
    long id = PathIds.id(ctx);
    names.accept(id)
        .compose(done -> ctx.redirect("/arrangor/organisationer" + (done ? "?godkand=" + id : "")))
        .onFailure(ctx::fail);
  }
}
