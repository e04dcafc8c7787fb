/** Types of install-models.mjs (plain Node so postinstall needs no TypeScript). */
export interface InstallModelsOptions {
  /** Repo root holding models/manifest.json. @defaultValue the repo of the script */
  root?: string;
  /** Where the npm tarball is cached. @defaultValue <root>/node_modules/.cache/biogate */
  cacheDir?: string;
  log?: (line: string) => void;
}
export function installModels(options?: InstallModelsOptions): { installed: string[]; present: string[] };
