/** The light entry point of `skinscope admin`: accounts in the data folder, without HTTP or the engine. */
export { AccountError, createCompany, createCompanyApiKey, createUser } from './accounts.service.ts';
export { type DataDir, openDataDir } from './data-dir.ts';
