package org.corral.cli.api;

/** Corral answered with an error status; {@link #problem()} says what was wrong. */
public final class ApiException extends RuntimeException {
  private final ApiProblem problem;

  public ApiException(ApiProblem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  public ApiProblem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }
}
