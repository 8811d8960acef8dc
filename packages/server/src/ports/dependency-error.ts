/** A service a port depends on, as named in the 503 answer. */
export type Dependency = 'database' | 'queue' | 'blob store';

/**
 * Thrown by an adapter when its service (PostgreSQL, Redis, S3) cannot be reached or refuses work for
 * a moment: the request is not wrong, so the API answers 503 `dependency_unavailable`, and the same
 * request succeeds once the service is back.
 */
export class DependencyUnavailableError extends Error {
  readonly dependency: Dependency;
  constructor(dependency: Dependency, cause: unknown) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyUnavailableError';
    this.dependency = dependency;
  }
}

/**
 * Wraps every method of an adapter (and of its nested repositories) so that errors `isOutage` accepts
 * become `DependencyUnavailableError`s; other errors pass unchanged.
 */
export function guardOutages<T extends object>(
  target: T,
  dependency: Dependency,
  isOutage: (error: unknown) => boolean,
): T {
  const wrap = (error: unknown) =>
    !(error instanceof DependencyUnavailableError) && isOutage(error)
      ? new DependencyUnavailableError(dependency, error)
      : error;
  const guarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value === 'function') {
      guarded[name] = (...args: unknown[]) => {
        try {
          const out = value.apply(target, args);
          return out instanceof Promise ? out.catch((e: unknown) => Promise.reject(wrap(e))) : out;
        } catch (error) {
          throw wrap(error);
        }
      };
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      guarded[name] = guardOutages(value as object, dependency, isOutage);
    } else guarded[name] = value;
  }
  return guarded as T;
}
