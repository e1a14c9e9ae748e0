package org.corral.model.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.corral.model.InvalidInputException;

/**
 * Hook and check arguments with {@code {{variable}}} placeholders, rendered per argument (never
 * through a shell). Variables:
 * <ul>
 *   <li>{@code member.name}, {@code member.address}, {@code member.mac}, {@code member.hostname},
 *       {@code member.index}, {@code member.role}: the member the event is about (the new or
 *       leaving member for onMemberJoin/onMemberLeave, else the member the hook runs on; in user
 *       data, the member booting); address and MAC are its first NIC's lease;
 *   <li>{@code target.name}, {@code target.address}: the member the hook runs on;
 *   <li>{@code cluster.name};
 *   <li>{@code role.names}, {@code role.addresses}, {@code role.hostnames}: the members of the
 *       member's role, space-separated in index order;
 *   <li>{@code roles.ROLE.names}, {@code roles.ROLE.addresses}, {@code roles.ROLE.hostnames}: the
 *       same for any role of the cluster.
 * </ul>
 * The same variables render a member's cloud-init user data (the template's {@code userData}).
 */
public final class Templates {
  private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([^{}\\s]*)\\s*\\}\\}");
  public static final Set<String> MEMBER_VARIABLES = Set.of("member.name", "member.address", "member.mac", "member.hostname", "member.index", "member.role",
      "target.name", "target.address", "cluster.name", "role.names", "role.addresses", "role.hostnames");
  private static final Set<String> LIST_FIELDS = Set.of("names", "addresses", "hostnames");

  private Templates() {}

  /** Throws naming {@code field}[i] when an argument uses a variable that does not exist. */
  static void check(String field, List<String> args, ClusterSpec spec) {
    for (int i = 0; i < args.size(); i++) {
      checkText(field + "[" + i + "]", args.get(i), spec);
    }
  }

  /** Throws naming {@code field} when {@code text} (an argument, a user data) uses a variable that does not exist. */
  static void checkText(String field, @org.jspecify.annotations.Nullable String text, ClusterSpec spec) {
    if (text == null) {
      throw new InvalidInputException(field, "is empty", "give a text argument");
    }
    Matcher m = VAR.matcher(text);
    while (m.find()) {
      String v = m.group(1);
      if (!known(v, spec)) {
        throw new InvalidInputException(field, "uses unknown variable {{" + v + "}}",
            "use one of " + String.join(", ", new java.util.TreeSet<>(MEMBER_VARIABLES)) + ", or roles.ROLE.names|addresses|hostnames with ROLE one of "
                + spec.roleNames());
      }
    }
    String rest = VAR.matcher(text).replaceAll("");
    if (rest.contains("{{") || rest.contains("}}")) {
      throw new InvalidInputException(field, "has an unclosed or malformed {{ }} in " + InvalidInputException.quote(text),
          "write variables as {{member.name}}");
    }
  }

  private static boolean known(String v, ClusterSpec spec) {
    if (MEMBER_VARIABLES.contains(v)) {
      return true;
    }
    String[] parts = v.split("\\.", -1);
    return parts.length == 3 && parts[0].equals("roles") && spec.role(parts[1]) != null && LIST_FIELDS.contains(parts[2]);
  }

  /** {@code arg} with each variable replaced by its value in {@code vars}; a variable missing there renders empty. */
  public static String render(String arg, Map<String, String> vars) {
    Matcher m = VAR.matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }

  public static List<String> render(List<String> args, Map<String, String> vars) {
    return args.stream().map(a -> render(a, vars)).toList();
  }
}
