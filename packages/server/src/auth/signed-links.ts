import type { TokenSigner } from './tokens.ts';

/** `path?expires=<unix s>&signature=<HMAC(path:expires)>`: a link to `path` valid for `seconds`. */
export function signPath(signer: TokenSigner, nowMs: number, path: string, seconds: number): string {
  const expires = Math.floor(nowMs / 1000) + seconds;
  return `${path}?expires=${expires}&signature=${signer.mac(`${path}:${expires}`)}`;
}
