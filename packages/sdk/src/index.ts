export { type ClientOptions, type ImageRef, SkinscopeClient, SkinscopeError } from './client.ts';
export type * from './types.ts';
