import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { hasDoctypeOrEntity, type PushReading, readPush } from '../../core/mp/push';

/**
 * Entities are never expanded (`processEntities: false`, no HTML entities) and tag values stay
 * strings (`MsgId` is a 64-bit number a JS number would round). A DOCTYPE or ENTITY is refused
 * before the parser sees the body.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  isArray: () => false,
});

/** The flat fields of a push's `<xml>` root, or why the body is not one. */
export function parseXmlFields(body: string): { ok: true; fields: Record<string, unknown> } | { ok: false; reason: string } {
  if (hasDoctypeOrEntity(body)) return { ok: false, reason: 'body declares a DOCTYPE or ENTITY' };
  if (XMLValidator.validate(body) !== true) return { ok: false, reason: 'body is not well-formed XML' };
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch (error) {
    return { ok: false, reason: `body is not XML: ${(error as Error).message}` };
  }
  const root = (parsed as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return { ok: false, reason: 'body has no <xml> root with fields' };
  return { ok: true, fields: root as Record<string, unknown> };
}

export function parsePushXml(body: string): PushReading {
  const reading = parseXmlFields(body);
  return reading.ok ? readPush(reading.fields) : reading;
}
