/** What `lanternd sim` is made of (see server-builtins.ts). */
import type { SimConfig } from '../sim-config.js';
import type { Component } from './component.js';
import { simNodes } from './sim-nodes.js';

/** `lanternd sim`: simulated nodes. */
export const simBuiltins: readonly Component<SimConfig, unknown>[] = [simNodes];
