import type { InputProvider, MetricModule } from './metric.ts';

/** Static description of an algorithm, for dictionaries and documentation. */
export interface AlgorithmInfo {
  techName: string;
  familyTechName: string;
  version: string;
  name: string;
  description: string;
  areas: readonly string[];
  maskType: string;
}

/**
 * The set of metrics and shared inputs an engine runs. Construction refuses duplicate ids and needs
 * that no provider meets, so a misconfigured engine fails at start, not on the first photo.
 */
export class MetricRegistry {
  readonly metrics: readonly MetricModule[];
  private readonly providers: ReadonlyMap<string, InputProvider<unknown>>;

  constructor(metrics: readonly MetricModule[], providers: readonly InputProvider<unknown>[]) {
    const providerMap = new Map<string, InputProvider<unknown>>();
    for (const p of providers) {
      if (providerMap.has(p.id)) throw new Error(`duplicate input provider id: ${p.id}`);
      providerMap.set(p.id, p);
    }
    for (const p of providers) {
      for (const need of p.needs) {
        if (!providerMap.has(need)) throw new Error(`input ${p.id} needs unknown input ${need}`);
      }
    }
    const seen = new Set<string>();
    for (const m of metrics) {
      if (seen.has(m.techName)) throw new Error(`duplicate metric id: ${m.techName}`);
      seen.add(m.techName);
      for (const need of m.needs) {
        if (!providerMap.has(need)) throw new Error(`metric ${m.techName} needs unknown input ${need}`);
      }
    }
    this.metrics = metrics;
    this.providers = providerMap;
  }

  provider(id: string): InputProvider<unknown> | undefined {
    return this.providers.get(id);
  }

  get(techName: string): MetricModule | undefined {
    return this.metrics.find((m) => m.techName === techName);
  }

  info(): AlgorithmInfo[] {
    return this.metrics.map((m) => ({
      techName: m.techName,
      familyTechName: m.familyTechName,
      version: m.version,
      name: m.name,
      description: m.description,
      areas: m.areas,
      maskType: m.outputs.maskType,
    }));
  }
}
