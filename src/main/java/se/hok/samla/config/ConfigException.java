package se.hok.samla.config;

/** Invalid configuration: the message names the variable and is printed as the one line at exit. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
