package org.opinionwatch.contract.config;

/** A configuration error; the message names the file (or environment variable) and the key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
