package org.corral.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.corral.controller.auth.AccessPolicy.Relation;
import org.corral.model.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole authorisation table, role × permission × how the object relates to the user. One
 * row per permission: what a developer may do on the route itself, on their own object, on their
 * group's, on anyone else's (y/n), and what an administrator may (always everything).
 * docs/users-and-roles.md shows the same table.
 */
class AccessPolicyTest {
  @ParameterizedTest(name = "{0}: developer route={1} own={2} group={3} other={4}; admin={5}")
  @CsvSource(delimiter = '|', textBlock = """
      # permission       | route | own | group | other | admin
      LOGIN              | y     | y   | y     | y     | y
      READ_METRICS       | y     | y   | y     | y     | y
      READ_SERVICE       | y     | y   | y     | y     | y
      READ_HOSTS         | n     | n   | n     | n     | y
      MANAGE_HOSTS       | n     | n   | n     | n     | y
      READ_CATALOG       | y     | y   | y     | y     | y
      MANAGE_CATALOG     | n     | n   | n     | n     | y
      READ_VMS           | y     | y   | y     | n     | y
      CREATE_VMS         | y     | y   | y     | y     | y
      OPERATE_VMS        | y     | y   | y     | n     | y
      MIGRATE_VMS        | n     | n   | n     | n     | y
      READ_EVENTS        | y     | y   | y     | n     | y
      READ_OPERATIONS    | n     | n   | n     | n     | y
      MANAGE_OPERATIONS  | n     | n   | n     | n     | y
      MANAGE_LAB         | n     | n   | n     | n     | y
      MANAGE_USERS       | n     | n   | n     | n     | y
      MANAGE_TOKENS      | y     | y   | n     | n     | y
      READ_QUOTA         | y     | y   | n     | n     | y
      """)
  void theTable(Permission what, String route, String own, String group, String other, String admin) {
    String[] expected = {route, own, group, other};
    Relation[] relations = {Relation.ROUTE, Relation.OWN, Relation.GROUP, Relation.OTHER};
    for (int i = 0; i < relations.length; i++) {
      assertThat(AccessPolicy.allows(Role.DEVELOPER, what, relations[i]))
          .as("developer %s on %s", what, relations[i]).isEqualTo(expected[i].equals("y"));
      assertThat(AccessPolicy.allows(Role.ADMIN, what, relations[i]))
          .as("admin %s on %s", what, relations[i]).isEqualTo(admin.equals("y"));
    }
  }

  @Test
  void theTableListsEveryPermissionAndEveryRole() throws Exception {
    String table = AccessPolicyTest.class.getDeclaredMethod("theTable", Permission.class, String.class, String.class,
        String.class, String.class, String.class).getAnnotation(CsvSource.class).textBlock();
    Set<String> rows = table.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
        .map(l -> l.split("\\|")[0].strip()).collect(Collectors.toSet());
    assertThat(rows).as("a row for every Permission").isEqualTo(
        Arrays.stream(Permission.values()).map(Enum::name).collect(Collectors.toSet()));
    assertThat(EnumSet.allOf(Role.class)).as("the table's columns cover every role").containsExactlyInAnyOrder(Role.ADMIN, Role.DEVELOPER);
  }

  @Test
  void relationComesFromTheOwnerAndTheGroups() {
    Principal alice = new Principal("alice", Role.DEVELOPER, "team", "alice", null);
    Principal loner = new Principal("carol", Role.DEVELOPER, null, "carol", null);
    assertThat(AccessPolicy.relation(alice, "alice", "team")).isEqualTo(Relation.OWN);
    assertThat(AccessPolicy.relation(alice, "bob", "team")).isEqualTo(Relation.GROUP);
    assertThat(AccessPolicy.relation(alice, "dave", "other")).isEqualTo(Relation.OTHER);
    assertThat(AccessPolicy.relation(alice, "corral.yaml", null)).isEqualTo(Relation.OTHER);
    assertThat(AccessPolicy.relation(loner, "dave", null)).as("no group is not a shared group").isEqualTo(Relation.OTHER);
    assertThat(AccessPolicy.relation(alice, null, null)).isEqualTo(Relation.OTHER);
  }
}
