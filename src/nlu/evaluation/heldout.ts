import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One held-out message (corpus/heldout/test.json), written independently of the training corpus. */
export interface HeldOutMessage {
  text: string;
  intent: string;
  flags: string[];
}

const HeldOutSchema = z.array(z.object({ text: z.string(), intent: z.string(), flags: z.array(z.string()).default([]) }));

export function loadHeldOut(file: string): HeldOutMessage[] {
  return HeldOutSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const RiskSchema = z.array(z.object({ text: z.string(), escalation_risk: z.boolean() }));

/** corpus/heldout/risk.json: messages labelled only for the escalation-risk flag. */
export function loadRiskSet(file: string): { text: string; escalationRisk: boolean }[] {
  return RiskSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).map((r) => ({ text: r.text, escalationRisk: r.escalation_risk }));
}
