package org.corral.controller.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.jspecify.annotations.Nullable;

/**
 * Errors that Jetty answers before any route runs (a URI or headers too long, {@code %00} or
 * malformed percent-encoding in the path, broken chunked framing) as problem+json in UTF-8, like
 * every other error, instead of Jetty's HTML page in ISO-8859-1.
 */
final class JettyProblems extends ErrorHandler {
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
      int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType(Problems.CONTENT_TYPE);
    response.getOutputStream().write(body(code, message).getBytes(StandardCharsets.UTF_8));
  }

  private static String body(int status, @Nullable String reason) {
    String title = HttpStatus.getMessage(status);
    String type = Problems.typeFor(status);
    String detail = (reason == null || reason.isBlank() ? title : reason)
        + (status == 414 || status == 431 ? "; the request line and headers may hold at most " + ApiServer.MAX_HEADER_BYTES + " bytes" : "");
    return Problems.json(status, type, title, detail, null);
  }
}
