package org.corral.controller.bench;

import java.security.SecureRandom;
import org.corral.controller.auth.Accounts;
import org.corral.controller.auth.Passwords;
import org.corral.controller.auth.Principal;
import org.corral.controller.auth.Tokens;
import org.corral.controller.state.ControllerState;
import org.corral.controller.store.InMemoryStore;
import org.corral.model.auth.Role;
import org.corral.model.time.VirtualClock;

/**
 * What authentication costs (docs/benchmarks.md "Authentication"): an Argon2id password hash and
 * its check (paid once per login, about what a guess costs an attacker), and checking a bearer
 * token (paid on every request: parse, one map lookup, one SHA-256), with 1,000 users holding a
 * token each. Real code, the in-memory store.
 */
public final class AuthBenchmark {
  public static void main(String[] args) {
    int hashes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int checks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Passwords passwords = new Passwords(new SecureRandom());
    for (int i = 0; i < 5; i++) {
      passwords.hash("warm-up password");
    }
    long t0 = System.nanoTime();
    String hash = "";
    for (int i = 0; i < hashes; i++) {
      hash = passwords.hash("correct horse battery staple");
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < hashes; i++) {
      if (!Passwords.verify("correct horse battery staple", hash)) {
        throw new AssertionError("the hash does not verify");
      }
    }
    long t2 = System.nanoTime();
    System.out.printf("argon2id (m=19 MiB, t=2, p=1): hash %.1f ms, verify %.1f ms (mean of %d)%n",
        (t1 - t0) / 1e6 / hashes, (t2 - t1) / 1e6 / hashes, hashes);

    VirtualClock clock = new VirtualClock();
    ControllerState state = new ControllerState(new InMemoryStore(), clock);
    Accounts accounts = new Accounts(state, passwords, new Tokens(new SecureRandom()));
    Principal root = new Principal("root", Role.ADMIN, null, "root", null);
    String[] headers = new String[1000];
    for (int i = 0; i < headers.length; i++) {
      accounts.createUser(new Accounts.UserRequest("user" + i, "developer", null, null), root);
      headers[i] = "Bearer " + accounts.createToken("user" + i, null, null, root).text();
    }
    long sink = 0;
    for (int i = 0; i < checks / 10; i++) {
      sink += accounts.authenticate(headers[i % headers.length], null).name().length();
    }
    long t3 = System.nanoTime();
    for (int i = 0; i < checks; i++) {
      sink += accounts.authenticate(headers[i % headers.length], null).name().length();
    }
    long t4 = System.nanoTime();
    System.out.printf("bearer token check: %.2f µs per request (mean of %d over %d tokens)%s%n",
        (t4 - t3) / 1e3 / checks, checks, headers.length, sink == 42 ? " " : "");
  }
}
