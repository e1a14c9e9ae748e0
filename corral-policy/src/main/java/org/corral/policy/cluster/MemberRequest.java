package org.corral.policy.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.corral.model.cluster.Templates;
import org.corral.model.vm.NicLease;
import org.corral.model.vm.VmSpec;
import org.jspecify.annotations.Nullable;

/**
 * A member VM to create (PENDING, placed by the scheduler like any VM): its name, role and spec,
 * labels included. The spec's user data is the role template's, unrendered; {@code variables} are
 * the member's template variables but its own address, which its leases give once the VM is
 * admitted: {@link #userData} renders it then.
 */
public record MemberRequest(String name, String role, int index, VmSpec spec, Map<String, String> variables) {
  public MemberRequest {
    variables = Map.copyOf(variables);
  }

  /**
   * The member's cloud-init user data rendered with its identity, its first NIC's lease (
   * {@code member.address}, {@code member.mac}) and its peers; null when the template has none.
   */
  public @Nullable String userData(List<NicLease> leases) {
    String template = spec.userData();
    if (template == null) {
      return null;
    }
    Map<String, String> v = new HashMap<>(variables);
    String address = leases.isEmpty() ? "" : leases.get(0).ip();
    v.put("member.address", address);
    v.put("member.mac", leases.isEmpty() ? "" : leases.get(0).mac());
    v.put("target.address", address);
    return Templates.render(template, v);
  }
}
