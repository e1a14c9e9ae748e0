/**
 * Corral's vocabulary: records, state machines, resources, the snapshot decisions read, the plans
 * they produce, and the injected clock. Every package is API (the other modules are written
 * against it) and null-marked; JSpecify's annotations are needed only to compile.
 */
module org.corral.model {
  requires static org.jspecify;

  exports org.corral.model;
  exports org.corral.model.auth;
  exports org.corral.model.cluster;
  exports org.corral.model.host;
  exports org.corral.model.image;
  exports org.corral.model.journal;
  exports org.corral.model.network;
  exports org.corral.model.plan;
  exports org.corral.model.snapshot;
  exports org.corral.model.time;
  exports org.corral.model.vm;
}
