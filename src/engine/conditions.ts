import type { Condition } from './flow-schema.js';

type Values = Readonly<Record<string, string | number | undefined>>;

/** A `branch` case. A condition on a value that is missing (or not a number where one is needed) is false. */
export function conditionHolds(when: Condition, values: Values, params: Readonly<Record<string, number | string>>): boolean {
  const left = values[when.key];
  if (when.op === 'exists') return left !== undefined && left !== '';
  if (when.op === 'missing') return left === undefined || left === '';
  if (left === undefined) return false;
  let right: string | number | Array<string | number> | undefined = when.ref !== undefined ? values[when.ref] : when.value;
  if (right === undefined) return false;
  if (when.share !== undefined) {
    const share = typeof when.share === 'number' ? when.share : Number(params[when.share]);
    right = Number(right) * share;
  }
  switch (when.op) {
    case 'eq':
      return String(left) === String(right);
    case 'ne':
      return String(left) !== String(right);
    case 'in':
      return Array.isArray(right) && right.map(String).includes(String(left));
    default: {
      const a = Number(left);
      const b = Number(right);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      if (when.op === 'lt') return a < b;
      if (when.op === 'lte') return a <= b;
      if (when.op === 'gt') return a > b;
      return a >= b;
    }
  }
}
