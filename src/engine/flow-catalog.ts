/**
 * The validated set of flows the runner works from: looked up by id and by intent. Built once at
 * start-up; a flow set with any static problem is refused so a broken flow never reaches a customer.
 */
import type { Intent } from '../nlu/index.js';
import { checkFlows, formatProblems } from './flow-checks.js';
import { loadFlows, DEFAULT_DIALOGS_DIR } from './flow-loader.js';
import type { Flow, Step } from './flow-schema.js';

export class FlowCatalog {
  private readonly byId = new Map<string, Flow>();
  private readonly byIntent = new Map<Intent, Flow>();

  constructor(flows: readonly Flow[], paramOverrides: Readonly<Record<string, number | string>> = {}) {
    const problems = checkFlows(flows);
    if (problems.length > 0) throw new Error(`Dialog flows have problems:\n${formatProblems(problems)}`);
    for (const flow of flows) {
      const params = { ...flow.params };
      for (const name of Object.keys(params)) if (name in paramOverrides) params[name] = paramOverrides[name]!;
      const tuned = { ...flow, params };
      this.byId.set(flow.id, tuned);
      for (const intent of flow.intents) this.byIntent.set(intent, tuned);
    }
  }

  static async load(dir: string = DEFAULT_DIALOGS_DIR, paramOverrides: Readonly<Record<string, number | string>> = {}): Promise<FlowCatalog> {
    return new FlowCatalog((await loadFlows(dir)).map((l) => l.flow), paramOverrides);
  }

  flow(id: string): Flow {
    const flow = this.byId.get(id);
    if (!flow) throw new Error(`Unknown flow ${id}`);
    return flow;
  }

  step(flowId: string, stepId: string): Step {
    const step = this.flow(flowId).steps[stepId];
    if (!step) throw new Error(`Unknown step ${flowId}.${stepId}`);
    return step;
  }

  /** The flow serving a complaint intent; undefined for utility intents and none. */
  flowFor(intent: Intent): Flow | undefined {
    return this.byIntent.get(intent);
  }
}
