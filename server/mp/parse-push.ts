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

export function parsePushXml(body: string): PushReading {
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
  return readPush(root as Record<string, unknown>);
}
