package org.corral.drivers.libvirt;

import java.util.regex.Pattern;
import org.corral.drivers.DriverException;
import org.corral.drivers.DriverException.Kind;
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

  /** The kind for a libvirt error code (and the subsystem that raised it). */
  static Kind kindOf(Error.ErrorNumber code, Error.ErrorDomain from) {
    if (code == null) {
      return Kind.TRANSIENT;
    }
    return switch (code) {
      case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_OPERATION_DENIED -> Kind.AUTH;
      case VIR_ERR_NO_DOMAIN, VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL, VIR_ERR_NO_NETWORK,
          VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_ERR_NO_SECRET, VIR_ERR_NO_INTERFACE -> Kind.NOT_FOUND;
      case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_UNKNOWN_HOST, VIR_ERR_GNUTLS_ERROR ->
          Kind.UNREACHABLE;
      // A system error raised by the RPC layer is a socket failure (refused, reset, no route).
      case VIR_ERR_SYSTEM_ERROR -> from == Error.ErrorDomain.VIR_FROM_RPC || from == Error.ErrorDomain.VIR_FROM_REMOTE
          ? Kind.UNREACHABLE : Kind.TRANSIENT;
      case VIR_ERR_OPERATION_TIMEOUT -> Kind.TIMEOUT;
      case VIR_ERR_NO_SUPPORT -> Kind.UNSUPPORTED;
      case VIR_ERR_OPERATION_INVALID, VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_INVALID_ARG,
          VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_DOM_EXIST, VIR_ERR_INVALID_MAC, VIR_ERR_MIGRATE_UNSAFE,
          VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_ERR_OS_TYPE, VIR_ERR_NO_SOURCE, VIR_ERR_NO_TARGET, VIR_ERR_NO_NAME,
          VIR_ERR_NO_OS, VIR_ERR_NO_DEVICE, VIR_ERR_INVALID_DOMAIN, VIR_ERR_INVALID_STORAGE_POOL,
          VIR_ERR_INVALID_STORAGE_VOL, VIR_ERR_INVALID_NETWORK, VIR_ERR_NETWORK_EXIST -> Kind.REJECTED;
      default -> Kind.TRANSIENT;
    };
  }

  /** Wraps {@code e} for operation {@code op} on {@code uri}, naming {@code domain} when not null. */
  static DriverException map(String op, String uri, String domain, LibvirtException e) {
    Error err = e.getError();
    Kind kind = err == null ? Kind.TRANSIENT : kindOf(err.getCode(), err.getDomain());
    String detail = err == null ? e.getMessage() : err.getMessage();
    return new DriverException(kind, describe(op, uri, domain) + ": " + redact(detail, uri), e);
  }

  /** "define of domain 'web-1' on qemu+ssh://root@node1/system", without credentials. */
  static String describe(String op, String uri, String domain) {
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
  static String redact(String text, String uri) {
    if (text == null) {
      return "(libvirt gave no detail)";
    }
    String s = uri == null ? text : text.replace(uri, safeUri(uri));
    s = USER_PASSWORD.matcher(s).replaceAll("://$1:***@");
    return SECRET_PARAM.matcher(s).replaceAll("$1***");
  }
}
