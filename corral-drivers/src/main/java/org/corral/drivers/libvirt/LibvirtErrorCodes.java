package org.corral.drivers.libvirt;

import org.corral.drivers.DriverException.Kind;
import org.jspecify.annotations.Nullable;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;

/**
 * libvirt's raw error numbers ({@code virErrorNumber}) and their {@link Kind}s. The binding's
 * {@code Error.ErrorNumber} enum is looked up by position and lacks the four nwfilter codes
 * (60-63), so from code 60 on it names the wrong error; this class therefore records the raw code
 * of each error, per thread, through libvirt's global error callback (called synchronously on the
 * thread that raised the error, just before the binding throws).
 */
final class LibvirtErrorCodes {
  static final int INTERNAL_ERROR = 1;
  static final int NO_SUPPORT = 3;
  static final int UNKNOWN_HOST = 4;
  static final int NO_CONNECT = 5;
  static final int INVALID_CONN = 6;
  static final int INVALID_DOMAIN = 7;
  static final int INVALID_ARG = 8;
  static final int OS_TYPE = 16;
  static final int NO_SOURCE = 19;
  static final int NO_TARGET = 20;
  static final int NO_NAME = 21;
  static final int NO_OS = 22;
  static final int NO_DEVICE = 23;
  static final int XML_ERROR = 27;
  static final int DOM_EXIST = 28;
  static final int OPERATION_DENIED = 29;
  static final int XML_DETAIL = 35;
  static final int INVALID_NETWORK = 36;
  static final int NETWORK_EXIST = 37;
  static final int SYSTEM_ERROR = 38;
  static final int RPC = 39;
  static final int GNUTLS_ERROR = 40;
  static final int NO_DOMAIN = 42;
  static final int NO_NETWORK = 43;
  static final int INVALID_MAC = 44;
  static final int AUTH_FAILED = 45;
  static final int INVALID_STORAGE_POOL = 46;
  static final int INVALID_STORAGE_VOL = 47;
  static final int NO_STORAGE_POOL = 49;
  static final int NO_STORAGE_VOL = 50;
  static final int OPERATION_INVALID = 55;
  static final int NO_INTERFACE = 57;
  static final int NO_SECRET = 66;
  static final int CONFIG_UNSUPPORTED = 67;
  static final int OPERATION_TIMEOUT = 68;
  static final int NO_DOMAIN_SNAPSHOT = 72;
  static final int ARGUMENT_UNSUPPORTED = 74;
  static final int AUTH_CANCELLED = 79;
  static final int MIGRATE_UNSAFE = 81;
  static final int OPERATION_UNSUPPORTED = 84;
  static final int SSH = 85;
  static final int AGENT_UNRESPONSIVE = 86;
  static final int ACCESS_DENIED = 88;
  static final int STORAGE_VOL_EXIST = 90;
  static final int CPU_INCOMPATIBLE = 91;
  static final int XML_INVALID_SCHEMA = 92;
  static final int AUTH_UNAVAILABLE = 94;
  static final int LIBSSH = 98;
  /** {@code VIR_FROM_RPC} and {@code VIR_FROM_REMOTE}: errors raised by the transport. */
  static final int FROM_RPC = 7;
  static final int FROM_REMOTE = 13;

  /** The last error libvirt raised on this thread: raw code, raw domain, message. */
  record Raised(int code, int domain, String message) {}

  private static final ThreadLocal<Raised> LAST = new ThreadLocal<>();

  /** The global callback; it also keeps libvirt from printing every error on stderr. */
  static final Libvirt.VirErrorCallback CALLBACK = (userData, error) -> record(error);

  private LibvirtErrorCodes() {}

  private static void record(@Nullable virError e) {
    if (e != null) {
      LAST.set(new Raised(e.code, e.domain, e.message));
    }
  }

  /** The raw error raised on this thread whose message is {@code message}, or null. */
  static @Nullable Raised last(@Nullable String message) {
    Raised r = LAST.get();
    return r != null && java.util.Objects.equals(r.message(), message) ? r : null;
  }

  static Kind kindOf(int code, int from) {
    return switch (code) {
      case AUTH_FAILED, AUTH_CANCELLED, AUTH_UNAVAILABLE, OPERATION_DENIED, ACCESS_DENIED -> Kind.AUTH;
      case NO_DOMAIN, NO_STORAGE_POOL, NO_STORAGE_VOL, NO_NETWORK, NO_DOMAIN_SNAPSHOT, NO_SECRET, NO_INTERFACE ->
          Kind.NOT_FOUND;
      case NO_CONNECT, INVALID_CONN, RPC, UNKNOWN_HOST, GNUTLS_ERROR, SSH, LIBSSH -> Kind.UNREACHABLE;
      // A system or internal error raised by the transport is a socket failure (refused, reset,
      // no route, "client socket is closed").
      case SYSTEM_ERROR, INTERNAL_ERROR -> from == FROM_RPC || from == FROM_REMOTE ? Kind.UNREACHABLE : Kind.TRANSIENT;
      case OPERATION_TIMEOUT, AGENT_UNRESPONSIVE -> Kind.TIMEOUT;
      // ARGUMENT_UNSUPPORTED: "valid API use but unsupported by the given driver" (e.g. p2p on test:///).
      case NO_SUPPORT, OPERATION_UNSUPPORTED, ARGUMENT_UNSUPPORTED -> Kind.UNSUPPORTED;
      case OPERATION_INVALID, XML_ERROR, XML_DETAIL, XML_INVALID_SCHEMA, INVALID_ARG, CONFIG_UNSUPPORTED, DOM_EXIST,
          INVALID_MAC, MIGRATE_UNSAFE, OS_TYPE, NO_SOURCE, NO_TARGET, NO_NAME, NO_OS, NO_DEVICE,
          INVALID_DOMAIN, INVALID_STORAGE_POOL, INVALID_STORAGE_VOL, INVALID_NETWORK, NETWORK_EXIST, STORAGE_VOL_EXIST,
          CPU_INCOMPATIBLE -> Kind.REJECTED;
      default -> Kind.TRANSIENT;
    };
  }
}
