package org.corral.cli.api;

/** No answer from Corral at all: connection refused, unknown host, or a timeout. */
public final class UnreachableException extends RuntimeException {
  private final String url;

  public UnreachableException(String url, Throwable cause) {
    super("cannot reach Corral at " + url + ": is it running? start it with ./corral up", cause);
    this.url = url;
  }

  public String url() {
    return url;
  }
}
