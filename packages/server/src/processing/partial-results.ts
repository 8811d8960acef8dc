import type { AlgorithmResult } from '../ports/analyzer.ts';

/**
 * How long partial results wait for others before they are saved together, ms. The engine computes
 * an image's 18 results over about a second, some within a few ms of each other: a window this
 * short still shows each result within a frame or so of it being computed, and halves the store
 * transactions per image.
 */
export const PARTIAL_WINDOW_MS = 40;

/** Saves one analysis's partial results in batches (see partialResults). */
export interface PartialResults {
  /** A result just computed: saved with the others that arrive within the window. */
  add(result: AlgorithmResult): void;
  /** Saves what is waiting at once, and resolves when every save begun so far has ended. */
  flush(): Promise<void>;
  /**
   * Waits for the saves begun so far and hands over the results still waiting, which are then not
   * saved here (the caller saves them with the final results).
   */
  takeWaiting(): Promise<AlgorithmResult[]>;
  /** Tech names of the results saved so far (a failed save's are not). */
  readonly saved: ReadonlySet<string>;
}

/**
 * Batches an analysis's partial results: the first result to arrive starts a window of `windowMs`,
 * and the results that arrive within it are saved with one `save` call. Saves run one after the
 * other, in order; a failed save is passed to `onError` and its results are not marked saved.
 */
export function partialResults(deps: {
  save(batch: AlgorithmResult[]): Promise<void>;
  onError(error: unknown): void;
  windowMs?: number;
}): PartialResults {
  const windowMs = deps.windowMs ?? PARTIAL_WINDOW_MS;
  const saved = new Set<string>();
  let waiting: AlgorithmResult[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();

  /** The results waiting, handed over, and the window closed. */
  const take = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    return batch;
  };

  const startSave = () => {
    const batch = take();
    if (batch.length === 0) return;
    chain = chain
      .then(() => deps.save(batch))
      .then(() => {
        for (const r of batch) saved.add(r.algorithm_tech_name);
      })
      .catch(deps.onError);
  };

  return {
    add(result) {
      waiting.push(result);
      timer ??= setTimeout(startSave, windowMs);
    },
    async flush() {
      startSave();
      await chain;
    },
    async takeWaiting() {
      const batch = take();
      await chain;
      return batch;
    },
    saved,
  };
}
