package org.corral.model;

import org.jspecify.annotations.Nullable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Corral treats as a secret in the URIs it is given (host, power and database URIs), and how
 * it keeps them out of text.
 *
 * <p>Corral refuses a secret written into a URI ({@link #refuseInline}) instead of storing it and
 * masking it on the way out: a stored secret would sit in the database, its backups and every
 * message that forgets to mask it. A URI that passed the check is therefore its own text form and
 * can be shown anywhere. The secret lives in a file or an environment variable that only the
 * driver reads ({@code passwordFile=}, {@code passwordEnv=}, SSH keys); those parameters name where
 * the secret is kept and are not secrets themselves.
 *
 * <p>{@link #mask} is for quoting text that was refused or never checked (a bad value in an error
 * message): it hides the same things, best effort.
 */
public final class Secrets {
  /** Parameter names whose value is a secret: password, passwd, pwd, secret, token, apikey, key, credential(s)... */
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|pwd|secret|token|credential|key).*");
  /** ...except those that say where a secret is kept (passwordFile, passwordEnv, keyfile, identity). */
  private static final Pattern WHERE_NAME = Pattern.compile("(?i).*(file|env|path)");
  /** A query or JDBC parameter: name=value after ?, &amp; or ;. */
  private static final Pattern PARAM = Pattern.compile("([?&;])([^=&;?#\\s]+)=([^&;#]*)");
  /** user:password@ right after the scheme's //. */
  private static final Pattern USERINFO = Pattern.compile("//([^/?#@:\\s]*):([^?#@\\s]*)@");

  private Secrets() {}

  /**
   * Returns {@code uri} when it holds no secret: no password in its user part
   * ({@code user:password@}) and no parameter whose value is one ({@code password=},
   * {@code token=}, ...). Otherwise throws, quoting the URI with the secret masked.
   *
   * @throws InvalidInputException naming {@code field}, pointing to passwordFile/passwordEnv and SSH keys
   */
  public static @Nullable String refuseInline(String field, @Nullable String uri) {
    if (uri == null) {
      return null;
    }
    Matcher u = USERINFO.matcher(uri);
    if (u.find() && !u.group(2).isEmpty()) {
      throw new InvalidInputException(field, "holds a password (" + InvalidInputException.quote(uri) + "); Corral does not"
          + " store secrets", FIX);
    }
    Matcher p = PARAM.matcher(uri);
    while (p.find()) {
      if (isSecretName(p.group(2)) && !p.group(3).isEmpty()) {
        throw new InvalidInputException(field, "parameter '" + p.group(2) + "' holds a secret (" + InvalidInputException.quote(uri)
            + "); Corral does not store secrets", FIX);
      }
    }
    return uri;
  }

  private static final String FIX = "remove it and keep the secret where only the driver reads it: for ipmi:// add"
      + " passwordFile=/etc/corral/bmc.pass or passwordEnv=VARIABLE, for qemu+ssh:// and ssh:// use an SSH key"
      + " (keyfile=, identity=), for ec2:// credentialsFile= or credentialsEnv=, for the database store.passwordFile or store.passwordEnv (docs/security.md)";

  /** {@code text} with every user-part password and secret parameter value replaced by {@code ***}. */
  public static @Nullable String mask(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String s = USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement("//" + m.group(1) + ":***@"));
    Matcher p = PARAM.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (p.find()) {
      String value = isSecretName(p.group(2)) && !p.group(3).isEmpty() ? "***" : p.group(3);
      p.appendReplacement(out, Matcher.quoteReplacement(p.group(1) + p.group(2) + "=" + value));
    }
    p.appendTail(out);
    return out.toString();
  }

  static boolean isSecretName(String name) {
    return SECRET_NAME.matcher(name).matches() && !WHERE_NAME.matcher(name).matches();
  }
}
