package org.corral.model.auth;

import org.corral.model.Names;

/** Users who share their VMs (each member may see and manage the others') and a quota over all of them. */
public record Group(String name, Quota quota) {
  public Group {
    Names.require("group", name);
    quota = quota == null ? Quota.NONE : quota;
  }
}
