import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Image, isPlainBase64 } from './upload.service.ts';

describe('decodeBase64Image', () => {
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x3e, 0x3f, 0xfb, 0xef]);

  it('reads plain base64, URL-safe base64 (unpadded), a data: prefix and whitespace', () => {
    const plain = bytes.toString('base64');
    assert.match(plain, /[+/]/, 'the sample uses the characters the two alphabets differ in');
    for (const text of [
      plain,
      bytes.toString('base64url'),
      `data:image/jpeg;base64,${plain.slice(0, 4)}\n ${plain.slice(4)}`,
    ])
      assert.deepEqual(Buffer.from(decodeBase64Image(text, 1000)), bytes, text);
  });

  it('refuses text that is not base64, empty text and images over the size limit', () => {
    const code = (text: string, max = 1000) => {
      try {
        decodeBase64Image(text, max);
        return 'accepted';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    assert.equal(code('***not base64***'), 'invalid_base64');
    assert.equal(code('ab+c-d'), 'invalid_base64', 'two alphabets mixed');
    assert.equal(code('abc+d'), 'invalid_base64', 'plain alphabet, length not a multiple of 4');
    assert.equal(code('  '), 'invalid_base64');
    assert.equal(code('abc==='), 'invalid_base64', 'three padding characters');
    assert.equal(code('ab=c'), 'invalid_base64', 'padding inside');
    assert.equal(code('ab-c=='), 'invalid_base64', 'URL-safe alphabet with padding');
    assert.equal(code('ab.c'), 'invalid_base64', 'a character of neither alphabet');
    assert.deepEqual(
      Buffer.from(decodeBase64Image('YWI=', 1000)),
      Buffer.from('ab'),
      'one padding character',
    );
    assert.equal(code(Buffer.alloc(300).toString('base64'), 100), 'image_too_large');
  });
});

describe('isPlainBase64', () => {
  it('agrees with /^[A-Za-z0-9+/]*={0,2}$/', () => {
    const pattern = /^[A-Za-z0-9+/]*={0,2}$/;
    const texts = ['', '=', '==', '===', 'ab', 'ab=', 'ab==', 'ab===', 'a=b', 'a==b', '=ab', 'ab=c=', 'a+/9'];
    texts.push('AZaz09+/==', 'ab-c', 'ab_c', 'ab c', 'ab\nc', 'abé', 'ab.c=', `${'QUJD'.repeat(1000)}=`);
    for (const text of texts) assert.equal(isPlainBase64(text), pattern.test(text), JSON.stringify(text));
  });
});
