package se.hok.samla.registration;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import se.hok.samla.staff.Permission;
import se.hok.samla.staff.StaffAuth;
import se.hok.samla.web.Templates;
import se.hok.samla.web.ValidationException;

/** Admins keep the needs catalogue: labels in both languages, free-text detail, lead time, order, active. */
public final class NeedCataloguePages {
  private final RegistrationService registrations;
  private final StaffAuth auth;
  private final Templates templates;

  public NeedCataloguePages(RegistrationService registrations, StaffAuth auth, Templates templates) {
    this.registrations = registrations;
    this.auth = auth;
    this.templates = templates;
  }

  public void mount(Router router) {
    router.get("/admin/behov").handler(auth.page(Permission.ADMINISTER)).handler(ctx -> render(ctx, 200, Map.of(), Map.of()));
    router.post("/admin/behov").handler(auth.page(Permission.ADMINISTER)).handler(this::save);
  }

  private void save(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    registrations.saveNeed(form.get("code"), form.get("labelSv"), form.get("labelEn"), "true".equals(form.get("hasDetail")),
            form.get("leadDays"), form.get("sortOrder"), "true".equals(form.get("active")), "true".equals(form.get("atDoor")))
        .onSuccess(v -> ctx.redirect("/admin/behov?saved=1"))
        .onFailure(ValidationException.formAgain(ctx, errors -> {
          Map<String, String> input = new HashMap<>();
          for (String f : new String[] {"code", "labelSv", "labelEn", "leadDays", "sortOrder"}) {
            input.put(f, form.get(f) == null ? "" : form.get(f));
          }
          render(ctx, 422, errors, input);
        }));
  }

  private void render(RoutingContext ctx, int status, Map<String, String> errors, Map<String, String> input) {
    registrations.catalogue().compose(entries -> {
      Map<String, Object> model = new HashMap<>();
      model.put("entries", entries);
      model.put("errors", errors);
      model.put("input", input);
      model.put("saved", ctx.queryParams().contains("saved"));
      return templates.render(ctx, status, "admin/needs", model);
    }).onFailure(ctx::fail);
  }
}
