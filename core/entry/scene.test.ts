import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSceneKey, decodeScene, SCENE_MAX_LENGTH } from './scene';

const ALLOWED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$&'()*+,/:;=?@-._~";
const allowedKey = (max: number) => fc.string({ unit: fc.constantFrom(...ALLOWED), minLength: 1, maxLength: max });

describe('scene keys', () => {
  it('accepts every key of 1–32 allowed characters', () => {
    fc.assert(
      fc.property(allowedKey(SCENE_MAX_LENGTH), (key) => {
        expect(checkSceneKey(key)).toEqual({ ok: true });
      }),
    );
  });

  it('refuses 33 characters or more', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALLOWED), minLength: 33, maxLength: 80 }), (key) => {
        const check = checkSceneKey(key);
        expect(check.ok).toBe(false);
      }),
    );
    expect(checkSceneKey('a'.repeat(32)).ok).toBe(true);
    expect(checkSceneKey('a'.repeat(33)).ok).toBe(false);
  });

  it('refuses %, spaces and Chinese anywhere in the key', () => {
    fc.assert(
      fc.property(allowedKey(20), fc.constantFrom('%', ' ', '文', '"', '\\'), allowedKey(10), (a, bad, b) => {
        expect(checkSceneKey(`${a}${bad}${b}`).ok).toBe(false);
      }),
    );
  });

  it('decodes what the landing page receives, and the decoded key round-trips', () => {
    fc.assert(
      fc.property(allowedKey(SCENE_MAX_LENGTH), (key) => {
        expect(decodeScene(encodeURIComponent(key))).toBe(key.trim() || null);
      }),
    );
    expect(decodeScene('%E0%A4%A')).toBeNull();
    expect(decodeScene(undefined)).toBeNull();
  });
});
