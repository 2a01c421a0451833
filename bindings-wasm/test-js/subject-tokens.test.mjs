// mintSubjectToken against the shared vectors (tests/vectors/subject_tokens.json): the exact token
// for given inputs, the field named by each refusal, and a token minted now that lives ttl seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mintSubjectToken, isCcpaOptOutError } from 'ccpa-optout';

const { cases } = JSON.parse(readFileSync(`${process.env.CCPA_REPO_ROOT}/tests/vectors/subject_tokens.json`, 'utf8'));

test('subject-token vectors: exact tokens and refused fields', () => {
  assert.ok(cases.length >= 15);
  for (const c of cases) {
    const options = { issuedAt: c.issuedAt, ...(c.audience === undefined ? {} : { audience: c.audience }) };
    const mint = () => mintSubjectToken(c.secret, c.subject, c.ttlSeconds, options);
    if (c.token) {
      assert.equal(mint(), c.token, c.name);
      // The secret may also be given as bytes.
      assert.equal(mintSubjectToken(new TextEncoder().encode(c.secret), c.subject, c.ttlSeconds, options), c.token, c.name);
    } else {
      assert.throws(mint, (error) => isCcpaOptOutError(error) && error.kind === c.error.kind
        && error.field === c.error.field && !error.message.includes(c.secret || '\u0000'), c.name);
    }
  }
});

test('a token minted now carries iat = now and exp = iat + ttl', () => {
  const before = Math.floor(Date.now() / 1000);
  const token = mintSubjectToken('0123456789abcdef0123456789abcdef', 'ana@example.com', 600);
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  assert.ok(claims.iat >= before && claims.iat <= before + 5, JSON.stringify(claims));
  assert.equal(claims.exp - claims.iat, 600);
  assert.equal(claims.sub, 'ana@example.com');
  assert.throws(() => mintSubjectToken('0123456789abcdef0123456789abcdef', 'ana@example.com', '600'),
    (error) => error.field === 'ttl');
});
