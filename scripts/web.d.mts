/** Types of scripts/web.mjs (plain JavaScript, run by Node without a TypeScript loader). */
export declare const ROOT: string;
/** Where `npm run web` keeps its bundles of the host and the embedded pump: out/web-host. */
export declare const OUT: string;
export declare function bundlesAreCurrent(out?: string): boolean;
export declare function buildBundles(out?: string): Promise<void>;
