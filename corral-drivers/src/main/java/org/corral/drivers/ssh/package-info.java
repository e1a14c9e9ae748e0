/**
 * The SSH client code shared by the SSH power driver, the exec-over-SSH probe and SSH guest exec:
 * one Apache MINA SSHD client per driver, key-only authentication, strict host-key checking
 * against a known_hosts file, commands with deadlines, and the POSIX quoting that turns an
 * argument list into the single command line the SSH protocol carries.
 */
@NullMarked
package org.corral.drivers.ssh;

import org.jspecify.annotations.NullMarked;
