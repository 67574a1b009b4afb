import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { INTEGRATION_KEY_MIN_DISTINCT, INTEGRATION_KEY_MIN_LENGTH, integrationKeyIssue } from '../../core/integration-key.ts';

const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const character = fc.constantFrom(...ALPHABET);

describe('integration keys (finding 7 of #18)', () => {
  test('the words a guess list starts with are refused', () => {
    for (const key of ['password', 'password1234', 'passwordpasswordpassword', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa', '0101010101010101010101010101', 'abcdefabcdefabcdefabcdef']) {
      assert.ok(integrationKeyIssue(key), `${key} is refused`);
    }
  });

  test('a key of 18 random bytes in base64url (openssl rand -base64 24 alike) is accepted', () => {
    assert.equal(integrationKeyIssue('q2Zr8Jx0-LmT4vYb9Wc1HsNe'), null);
    assert.equal(integrationKeyIssue('reliability-psa-key-0123456789'), null);
  });

  test('any key shorter than 24 characters is refused', () => {
    fc.assert(fc.property(fc.array(character, { maxLength: INTEGRATION_KEY_MIN_LENGTH - 1 }), (chars) => {
      assert.ok(integrationKeyIssue(chars.join('')));
    }));
  });

  test('any key of fewer than 10 different characters is refused, however long', () => {
    fc.assert(fc.property(fc.uniqueArray(character, { minLength: 1, maxLength: INTEGRATION_KEY_MIN_DISTINCT - 1 }), fc.array(fc.nat(), { minLength: 24, maxLength: 200 }), (few, picks) => {
      assert.ok(integrationKeyIssue(picks.map((i) => few[i % few.length]).join('')));
    }));
  });

  test('any piece written over and over is refused', () => {
    fc.assert(fc.property(fc.array(character, { minLength: 1, maxLength: 40 }), fc.integer({ min: 2, max: 30 }), (piece, times) => {
      assert.ok(integrationKeyIssue(piece.join('').repeat(times)));
    }));
  });

  test('a key of at least 24 characters with 10 different ones, not a repetition, is accepted', () => {
    const key = fc
      .tuple(fc.uniqueArray(character, { minLength: INTEGRATION_KEY_MIN_DISTINCT, maxLength: 30 }), fc.array(character, { minLength: INTEGRATION_KEY_MIN_LENGTH, maxLength: 80 }))
      .map(([distinct, rest]) => distinct.join('') + rest.join(''))
      .filter((text) => (text + text).indexOf(text, 1) === text.length);
    fc.assert(fc.property(key, (text) => assert.equal(integrationKeyIssue(text), null)));
  });
});
