package org.corral.cli.render;

/** The {@code --output} choice: aligned text for people, or the API's JSON for scripts. */
public enum Output {
  TABLE, JSON
}
