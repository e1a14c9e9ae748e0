package org.corral.policy.cluster;

import org.corral.model.vm.VmSpec;

/** A member VM to create (PENDING, placed by the scheduler like any VM): its name, role and spec, labels included. */
public record MemberRequest(String name, String role, int index, VmSpec spec) {}
