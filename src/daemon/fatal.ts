/** An error whose message is the whole line the user sees (no stack); `lanternd` exits 1 with it. */
export class FatalError extends Error {}
