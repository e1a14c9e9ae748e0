package org.corral.drivers.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.jspecify.annotations.Nullable;

/**
 * Accepts a server's host key only when the known_hosts file lists it for that host and port.
 * Unknown keys and changed keys are refused, never added to the file; the reason is left on the
 * session ({@link #REJECTION}) so that the caller can report it.
 */
final class HostKeyCheck implements ServerKeyVerifier {
  /**
   * Which file and name to check, passed as the connection context of each session. The reason
   * for a refusal is also kept here: MINA may clear a session's attributes when it closes the
   * session, before the caller reads them, so the session alone is not a safe place for it.
   */
  record Expected(Path knownHosts, String host, int port, java.util.concurrent.atomic.AtomicReference<String> rejection) {
    Expected(Path knownHosts, String host, int port) {
      this(knownHosts, host, port, new java.util.concurrent.atomic.AtomicReference<>());
    }
  }

  static final AttributeKey<Expected> EXPECTED = new AttributeKey<>();
  static final AttributeKey<String> REJECTION = new AttributeKey<>();

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
    Expected e = session.getConnectionContext() == null ? null : session.getConnectionContext().getAttribute(EXPECTED);
    String reason = e == null ? "no known_hosts file was given for this connection" : check(session, e, key);
    if (reason != null) {
      if (e != null) {
        e.rejection().set(reason);
      }
      session.setAttribute(REJECTION, reason);
      return false;
    }
    return true;
  }

  /** Null when {@code key} is listed for the host; otherwise why it is refused and how to fix it. */
  static @Nullable String check(ClientSession session, Expected e, PublicKey key) {
    String name = e.port() == 22 ? e.host() : "[" + e.host() + "]:" + e.port();
    String fingerprint = KeyUtils.getFingerPrint(key);
    if (!Files.isReadable(e.knownHosts())) {
      return "known_hosts file " + e.knownHosts() + " is missing or unreadable, so the host key of " + name
          + " (" + fingerprint + ") cannot be checked; add it with: ssh-keyscan -p " + e.port() + " " + e.host()
          + " >> " + e.knownHosts() + " (after checking the fingerprint)";
    }
    boolean listed = false;
    boolean matched = false;
    try {
      for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(e.knownHosts())) {
        if (entry.getKeyEntry() == null || !entry.isHostMatch(e.host(), e.port())) {
          continue;
        }
        PublicKey known = entry.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
        if (known == null || "cert-authority".equals(entry.getMarker())) {
          continue; // a key type this client cannot read, or a CA line: neither vouches for this key
        }
        boolean same = KeyUtils.compareKeys(known, key);
        if ("revoked".equals(entry.getMarker())) {
          if (same) {
            return "the host key of " + name + " (" + fingerprint + ") is marked @revoked in " + e.knownHosts();
          }
          continue;
        }
        listed = true;
        matched |= same;
      }
    } catch (IOException | GeneralSecurityException ex) {
      return "cannot read known_hosts file " + e.knownHosts() + ": " + ex.getMessage();
    }
    if (matched) {
      return null;
    }
    if (listed) {
      return "the host key of " + name + " has CHANGED (now " + fingerprint + ") and does not match "
          + e.knownHosts() + "; if the host was reinstalled, check the new fingerprint, then run ssh-keygen -R '"
          + name + "' -f " + e.knownHosts() + " and add the new key";
    }
    return "the host key of " + name + " (" + fingerprint + ") is not in " + e.knownHosts()
        + "; check the fingerprint, then add it with: ssh-keyscan -p " + e.port() + " " + e.host() + " >> "
        + e.knownHosts();
  }
}
