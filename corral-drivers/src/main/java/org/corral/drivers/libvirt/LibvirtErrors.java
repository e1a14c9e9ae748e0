package org.corral.drivers.libvirt;

import java.util.regex.Pattern;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
import org.jspecify.annotations.Nullable;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

/**
 * Maps libvirt errors onto {@link Kind}s and writes messages that name the host URI and the
 * domain but never a credential.
 */
final class LibvirtErrors {
  private static final Pattern USER_PASSWORD = Pattern.compile("://([^/:@\\s]+):[^@/\\s]*@");
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)([?&](?:password|passwd|pass|secret|token|passwordFile|keyfile)=)[^&\\s']*");

  private LibvirtErrors() {}

  /**
   * The raw libvirt error code of {@code e}: the one recorded by {@link LibvirtErrorCodes#CALLBACK}
   * when it matches, else the binding's enum position (right only below 60, where the binding's
   * table agrees with libvirt's), else -1.
   */
  static int code(LibvirtException e) {
    Error err = e.getError();
    if (err == null) {
      return -1;
    }
    LibvirtErrorCodes.Raised raised = LibvirtErrorCodes.last(err.getMessage());
    if (raised != null) {
      return raised.code();
    }
    int ordinal = err.getCode() == null ? -1 : err.getCode().ordinal();
    return ordinal < 60 ? ordinal : -1;
  }

  static int from(LibvirtException e) {
    Error err = e.getError();
    if (err == null) {
      return -1;
    }
    LibvirtErrorCodes.Raised raised = LibvirtErrorCodes.last(err.getMessage());
    return raised != null ? raised.domain() : err.getDomain() == null ? -1 : err.getDomain().ordinal();
  }

  static Kind kindOf(LibvirtException e) {
    return LibvirtErrorCodes.kindOf(code(e), from(e));
  }

  /** Wraps {@code e} for operation {@code op} on {@code uri}, naming {@code domain} when not null. */
  static DriverException map(String op, String uri, @Nullable String domain, LibvirtException e) {
    Error err = e.getError();
    Kind kind = kindOf(e);
    String detail = err == null ? e.getMessage() : err.getMessage();
    return new DriverException(kind, describe(op, uri, domain) + ": " + redact(detail, uri), e);
  }

  /** "define of domain 'web-1' on qemu+ssh://root@node1/system", without credentials. */
  static String describe(String op, String uri, @Nullable String domain) {
    return op + (domain == null ? "" : " of domain '" + domain + "'") + " on " + safeUri(uri);
  }

  /** The URI with any password in its user part and any secret-looking parameter removed. */
  static String safeUri(String uri) {
    if (uri == null) {
      return "(no uri)";
    }
    String s = USER_PASSWORD.matcher(uri).replaceAll("://$1:***@");
    return SECRET_PARAM.matcher(s).replaceAll("$1***");
  }

  /** Libvirt's own text may repeat the URI; repeat it only without secrets. */
  static String redact(@Nullable String text, String uri) {
    if (text == null) {
      return "(libvirt gave no detail)";
    }
    String s = uri == null ? text : text.replace(uri, safeUri(uri));
    s = USER_PASSWORD.matcher(s).replaceAll("://$1:***@");
    return SECRET_PARAM.matcher(s).replaceAll("$1***");
  }
}
