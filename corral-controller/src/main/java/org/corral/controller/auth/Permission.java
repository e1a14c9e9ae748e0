package org.corral.controller.auth;

/**
 * What a request asks to do. Every route of the API declares one (ApiServer); {@link
 * AccessPolicy} decides, for each role, whether it is allowed. {@link #developer} is the rule
 * for developers; admins may do everything.
 */
public enum Permission {
  /** POST /login: the one thing anyone may ask (it checks a password). */
  LOGIN(Rule.OPEN),
  /** GET /metrics: open to loopback clients when api.metrics is loopback, else a token. */
  READ_METRICS(Rule.ALWAYS),
  /** Health, the OpenAPI document, one's own quota and tokens. */
  READ_SERVICE(Rule.ALWAYS),
  READ_HOSTS(Rule.NEVER),
  MANAGE_HOSTS(Rule.NEVER),
  /** Networks and images: needed to write a VM's spec. */
  READ_CATALOG(Rule.ALWAYS),
  MANAGE_CATALOG(Rule.NEVER),
  /** GET /vms and /vms/{name}: developers see their own and their group's. */
  READ_VMS(Rule.OWN_OR_GROUP),
  /** POST /vms: developers create VMs they own, within quota. */
  CREATE_VMS(Rule.ALWAYS),
  /** Start, stop, hold, release, delete. */
  OPERATE_VMS(Rule.OWN_OR_GROUP),
  /** Choosing the destination host is an administrator's call. */
  MIGRATE_VMS(Rule.NEVER),
  /** GET /events and the stream: developers see entries about VMs they can see. */
  READ_EVENTS(Rule.OWN_OR_GROUP),
  /** Actions, the plan, the optimizer, energy: about hosts and everyone's VMs. */
  READ_OPERATIONS(Rule.NEVER),
  MANAGE_OPERATIONS(Rule.NEVER),
  /** The simulated lab's fault injection and workload. */
  MANAGE_LAB(Rule.NEVER),
  /** Create and delete users, set quotas, list everyone. */
  MANAGE_USERS(Rule.NEVER),
  /** Make, list and revoke API tokens: developers only their own. */
  MANAGE_TOKENS(Rule.OWN),
  /** A user's quota and usage: developers only their own. */
  READ_QUOTA(Rule.OWN);

  /** What a developer may do. */
  public enum Rule {
    /** Anyone, authenticated or not. */
    OPEN,
    /** Any authenticated user. */
    ALWAYS,
    /** Only on objects a developer owns. */
    OWN,
    /** On objects the developer or a member of their group owns. */
    OWN_OR_GROUP,
    /** Admins only. */
    NEVER
  }

  final Rule developer;

  Permission(Rule developer) {
    this.developer = developer;
  }

  public Rule developerRule() {
    return developer;
  }
}
