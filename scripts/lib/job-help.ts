import * as z from 'zod/mini';

/** A JSON Schema node, as far as the help reads it. */
interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
}

/**
 * One line per field of a job's event, generated from its contract (so the help cannot drift from
 * what the function validates): name, required or default, type and bounds.
 */
export function describeFields(schema: z.ZodMiniType): string[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const required = new Set(root.required ?? []);
  const entries = Object.entries(root.properties ?? {});
  if (entries.length === 0) return ['(no fields)'];
  const width = Math.max(...entries.map(([name]) => name.length));
  return entries
    .sort(([a], [b]) => Number(required.has(b)) - Number(required.has(a)))
    .map(([name, node]) => {
      const presence = required.has(name)
        ? 'required'
        : node.default !== undefined
          ? `default ${JSON.stringify(node.default)}`
          : 'optional';
      return `${name.padEnd(width)}  ${presence}; ${describeType(node)}`;
    });
}

function describeType(node: SchemaNode): string {
  if (node.enum) return `one of ${node.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  const variants = node.anyOf ?? node.oneOf;
  if (variants) return variants.map(describeType).join(' | ');
  const type = Array.isArray(node.type) ? node.type.join('|') : node.type;
  const bounds: string[] = [];
  if (node.format === 'date-time') bounds.push('ISO time with offset, e.g. 2026-12-31T16:00:00Z');
  if (node.minLength !== undefined && node.minLength > 0) bounds.push(`≥ ${node.minLength} chars`);
  if (node.maxLength !== undefined) bounds.push(`≤ ${node.maxLength} chars`);
  if (node.minimum !== undefined) bounds.push(`≥ ${node.minimum}`);
  if (node.maximum !== undefined) bounds.push(`≤ ${node.maximum}`);
  if (node.maxItems !== undefined) bounds.push(`≤ ${node.maxItems} items`);
  let text = type ?? 'any';
  if (type === 'array' && node.items) text = `list of ${node.items.type === 'object' ? 'objects' : describeType(node.items)}`;
  if (type === 'object' && !node.properties && node.additionalProperties && typeof node.additionalProperties === 'object') {
    text = 'object of strings';
  }
  return bounds.length > 0 ? `${text} (${bounds.join(', ')})` : text;
}
