package se.hok.samla.support;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Starts and stops Samla for a class annotated {@link WithSamla}; see there. */
public final class SamlaExtension implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SamlaExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    WithSamla settings = AnnotationSupport.findAnnotation(testClass, WithSamla.class)
        .orElseThrow(() -> new ExtensionConfigurationException(testClass + " is not annotated @WithSamla"));
    Field target = only(testClass, TestApp.class, true);
    Field clockField = only(testClass, Clock.class, false);
    Clock clock = clockField == null ? Clock.systemDefaultZone() : (Clock) read(clockField);
    if (clock == null) {
      throw new ExtensionConfigurationException(clockField + " must be set where it is declared");
    }
    TestApp app = TestApp.start(environment(settings), clock);
    context.getStore(NAMESPACE).put(TestApp.class, app);
    target.set(null, app);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestApp app = context.getStore(NAMESPACE).remove(TestApp.class, TestApp.class);
    if (app != null) {
      if (drivesChromium(context.getRequiredTestClass())) {
        // Chromium keeps keep-alive connections to the app open; the app's graceful stop would wait them out (10 s).
        Browser.releaseSharedConnections();
      }
      app.close();
    }
  }

  /** Whether the class or one of its tests is tagged {@value Browser#TAG}. */
  private static boolean drivesChromium(Class<?> testClass) {
    return tagged(testClass) || Arrays.stream(testClass.getDeclaredMethods()).anyMatch(SamlaExtension::tagged);
  }

  private static boolean tagged(AnnotatedElement element) {
    return AnnotationSupport.findRepeatableAnnotations(element, Tag.class).stream()
        .anyMatch(tag -> Browser.TAG.equals(tag.value()));
  }

  static Map<String, String> environment(WithSamla settings) {
    Map<String, String> env = new HashMap<>();
    if (settings.signUpLimits()) {
      TestApp.SIGN_UP_LIMITS.forEach(limit -> env.put(limit, ""));  // blank: the default
    }
    for (String variable : settings.env()) {
      int eq = variable.indexOf('=');
      if (eq < 1) {
        throw new ExtensionConfigurationException("@WithSamla env wants NAME=value, not " + variable);
      }
      env.put(variable.substring(0, eq), variable.substring(eq + 1));
    }
    return env;
  }

  /** The one static field of this type in the class or its superclasses; null if none and not required. */
  private static Field only(Class<?> testClass, Class<?> type, boolean required) {
    List<Field> found = new ArrayList<>();
    for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && type.isAssignableFrom(f.getType())) {
          found.add(f);
        }
      }
    }
    if (found.size() > 1 || (required && found.isEmpty())) {
      throw new ExtensionConfigurationException(testClass.getName() + " needs exactly one static " + type.getSimpleName()
          + " field for @WithSamla, has " + found.size());
    }
    if (found.isEmpty()) {
      return null;
    }
    Field f = found.get(0);
    f.setAccessible(true);
    return f;
  }

  private static Object read(Field f) throws IllegalAccessException {
    return f.get(null);
  }
}
