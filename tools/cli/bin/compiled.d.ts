/** Whether the compiled CLI in `dist` is current: built, and no source it was built from changed since. */
export function compiledIsCurrent(dist: URL, root: URL): boolean;
